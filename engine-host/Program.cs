// The engine check's host: a stand-in for The Wallet Crew's script host, written from what the
// platform documents (shared reference: twc-platform.md, runtime-niljs.md). It loads a connector
// bundle on NiL.JS as an ES module, serves `neo/secrets` from a JSON file, lends `fetch`,
// `setTimeout`/`clearTimeout` and `console` and nothing else, registers the hooks through the
// default export's `context.register`, then calls them with several calls in flight, awaits each
// returned promise and counts resolved / rejected / never settled. Rejected and unsettled calls are
// delivered again, as the platform does, for a bounded number of rounds.
//
// Output: one JSON summary on stdout; the script's console lines go to --log (or stderr).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Module = NiL.JS.Module;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NiL.JS;
using NiL.JS.Core;

namespace TwcEngineHost
{
    public static class Program
    {
        public static int Main(string[] argv)
        {
            HostOptions options;
            try
            {
                options = HostOptions.Parse(argv);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("engine-host: " + e.Message);
                Console.Error.WriteLine(HostOptions.Usage);
                return 2;
            }
            using var log = options.LogFile != null ? new StreamWriter(options.LogFile) { AutoFlush = true } : null;
            var sink = new LineSink(log ?? Console.Error);
            var scheduler = options.Threads == "single" ? (TaskScheduler)new SingleThreadScheduler() : TaskScheduler.Default;
            var summary = new Dictionary<string, object>
            {
                ["engine"] = EngineIdentity(),
                ["threads"] = options.Threads,
                ["inFlight"] = options.InFlight,
            };
            int code;
            try
            {
                code = Task.Factory
                    .StartNew(() => Run(options, sink, scheduler, summary), CancellationToken.None, TaskCreationOptions.None, scheduler)
                    .Unwrap()
                    .GetAwaiter()
                    .GetResult();
            }
            catch (Exception e)
            {
                summary["fatal"] = e.GetType().Name + ": " + e.Message;
                code = 1;
            }
            summary["logLines"] = sink.Counts;
            Console.Out.WriteLine(JsonSerializer.Serialize(summary));
            Console.Out.Flush();
            // Threads the engine started (timers, continuations) must not keep the process alive.
            Environment.Exit(code);
            return code;
        }

        static string EngineIdentity()
        {
            var asm = typeof(Module).Assembly;
            var info = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return asm.GetName().Name + " " + (info ?? asm.GetName().Version?.ToString()) + " (" + Path.GetFileName(Path.GetDirectoryName(asm.Location) ?? "") + ")";
        }

        static async Task<int> Run(HostOptions options, LineSink sink, TaskScheduler scheduler, Dictionary<string, object> summary)
        {
            var secrets = ReadSecrets(options.SecretsFile);
            var code = File.ReadAllText(options.BundleFile);
            var timers = new HostTimers(scheduler, sink);
            var clock = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;

            Module module;
            try
            {
                module = new Module(Path.GetFileName(options.BundleFile), code);
            }
            catch (Exception e)
            {
                summary["stage"] = "parse";
                summary["error"] = Describe(e);
                return 1;
            }
            var parseMs = clock.Elapsed.TotalMilliseconds;
            module.ModuleResolversChain.Add(new SecretsModuleResolver(secrets));
            HostGlobals.Install(module.Context, sink, timers, scheduler);
            var registry = new HookRegistry();
            try
            {
                module.Run();
                var register = module.Exports.Default;
                if (register == null || register.Value is not NiL.JS.BaseLibrary.Function fn)
                    throw new InvalidOperationException("the bundle has no default export function");
                fn.Call(new Arguments { registry.ContextObject() });
            }
            catch (Exception e)
            {
                summary["stage"] = "load";
                summary["error"] = Describe(e);
                return 1;
            }
            summary["loadAndRegisterMs"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            summary["parseMs"] = Math.Round(parseMs, 1);
            summary["loadAndRegisterCpuMs"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds, 1);
            summary["registered"] = registry.Names();
            if (options.CallsFile == null)
            {
                summary["stage"] = "registered";
                return 0;
            }

            var calls = File.ReadAllLines(options.CallsFile).Where(l => l.Trim().Length > 0).ToList();
            var runner = new CallRunner(registry, scheduler, options, sink);
            var rounds = new List<object>();
            var pending = Enumerable.Range(0, calls.Count).ToList();
            var replayClock = Stopwatch.StartNew();
            var cpuReplay = Process.GetCurrentProcess().TotalProcessorTime;
            for (var round = 1; round <= 1 + options.Redeliver && pending.Count > 0; round++)
            {
                var outcome = await runner.RunRound(calls, pending);
                rounds.Add(outcome.Summary(round));
                pending = outcome.Retry;
            }
            summary["replayMs"] = Math.Round(replayClock.Elapsed.TotalMilliseconds, 1);
            summary["replayCpuMs"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuReplay).TotalMilliseconds, 1);
            summary["calls"] = calls.Count;
            summary["rounds"] = rounds;
            summary["undelivered"] = pending.Count;
            summary["stage"] = "replayed";
            return pending.Count == 0 ? 0 : 1;
        }

        internal static string Describe(Exception e)
        {
            var inner = e;
            while (inner is AggregateException || inner is TargetInvocationException)
            {
                if (inner.InnerException == null) break;
                inner = inner.InnerException;
            }
            if (inner is JSException js)
                return "JSException: " + (js.Error?.ToString() ?? js.Message);
            return inner.GetType().Name + ": " + inner.Message;
        }

        static Dictionary<string, string> ReadSecrets(string file)
        {
            if (file == null) return new Dictionary<string, string>();
            var doc = JsonDocument.Parse(File.ReadAllText(file));
            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        }
    }
}
