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
using System.Runtime;
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
            var name = Path.GetFileName(options.BundleFile);

            // With --measure-load, an empty module first: the bundle's cold figures are then what it
            // costs beyond an empty module in a fresh process, as issue #15 measured them.
            if (options.MeasureLoad > 0)
            {
                var emptyClock = Stopwatch.StartNew();
                var empty = BundleInstance.Parse("export default function register(context) {}", out _);
                BundleInstance.Load("empty.js", empty, secrets, sink, timers, scheduler);
                summary["emptyModuleMs"] = Math.Round(emptyClock.Elapsed.TotalMilliseconds, 1);
                clock.Restart();
                cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            }

            // Cold: the first parse and the first instance of the bundle in this process (JIT and NiL's own tables warm up here).
            Script script;
            double parseMs;
            try
            {
                script = BundleInstance.Parse(code, out parseMs);
            }
            catch (Exception e)
            {
                summary["stage"] = "parse";
                summary["error"] = Describe(e);
                return 1;
            }
            BundleInstance first;
            try
            {
                first = BundleInstance.Load(name, script, secrets, sink, timers, scheduler);
            }
            catch (Exception e)
            {
                summary["stage"] = "load";
                summary["error"] = Describe(e);
                return 1;
            }
            summary["loadAndRegisterMs"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            summary["parseMs"] = Math.Round(parseMs, 1);
            summary["bodyMs"] = Math.Round(first.BodyMs, 1);
            summary["registerMs"] = Math.Round(first.RegisterMs, 1);
            summary["loadAndRegisterCpuMs"] = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds, 1);
            summary["registered"] = first.Registry.Names();
            summary["instances"] = options.Instances;
            if (options.MeasureLoad > 0) summary["warm"] = MeasureWarm(options, code, name, secrets, sink, timers, scheduler);
            var registry = first.Registry;
            if (options.CallsFile == null)
            {
                summary["stage"] = "registered";
                return 0;
            }

            var calls = File.ReadAllLines(options.CallsFile).Where(l => l.Trim().Length > 0).ToList();
            // A parsed Script keeps per-evaluation caches in its tree (variable lookups cached per
            // context): instances may share one only while one thread runs them all. Under pool
            // threads each per-call instance parses its own (measured: sharing one across threads
            // gave "Variable "t" is not defined" and readonly-property errors in most calls).
            Func<HookRegistry> instanceFor = options.Instances != "per-call"
                ? () => registry
                : options.Threads == "single"
                    ? () => BundleInstance.Load(name, script, secrets, sink, timers, scheduler).Registry
                    : () => BundleInstance.Load(name, BundleInstance.Parse(code, out _), secrets, sink, timers, scheduler).Registry;
            var runner = new CallRunner(instanceFor, scheduler, options, sink);
            var rounds = new List<object>();
            var pending = Enumerable.Range(0, calls.Count).ToList();
            var replayClock = Stopwatch.StartNew();
            var cpuReplay = Process.GetCurrentProcess().TotalProcessorTime;
            for (var round = 1; round <= 1 + options.Redeliver && pending.Count > 0; round++)
            {
                if (round > 1 && options.RedeliverDelayMs > 0) await Task.Delay(options.RedeliverDelayMs);
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

        /// <summary>
        /// Warm figures: at least S settling loads, then N measured loads in this process after the
        /// first, each a fresh parse and a fresh instance, and N instances of the already parsed script
        /// (what a per-call host pays). With --settle-until-jit-quiet K the settling goes on until K
        /// loads in a row compiled no new method (the runtime's tiered compilation has finished with
        /// the engine's code: what a host that has parsed scripts all day runs), at most --settle-max
        /// loads. Medians in ms; "early" is the median of the first five loads after the cold one, and
        /// the whole series of load + register times is returned too.
        /// </summary>
        static Dictionary<string, object> MeasureWarm(HostOptions options, string code, string name, Dictionary<string, string> secrets, LineSink sink, HostTimers timers, TaskScheduler scheduler)
        {
            var parse = new List<double>();
            var body = new List<double>();
            var register = new List<double>();
            var total = new List<double>();
            var cpu = new List<double>();
            var series = new List<double>();
            var settled = 0;
            var quiet = 0;
            var compiled = JitInfo.GetCompiledMethodCount(false);
            long compiledAtMeasure = -1;
            while (total.Count < options.MeasureLoad)
            {
                var measuring = settled >= options.SettleLoads
                    && (options.SettleUntilJitQuiet == 0 || quiet >= options.SettleUntilJitQuiet || settled >= options.SettleMax);
                if (measuring && compiledAtMeasure < 0) compiledAtMeasure = JitInfo.GetCompiledMethodCount(false);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var script = BundleInstance.Parse(code, out var p);
                var instance = BundleInstance.Load(name, script, secrets, sink, timers, scheduler);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                series.Add(Math.Round(elapsed, 1));
                if (!measuring)
                {
                    settled++;
                    var now = JitInfo.GetCompiledMethodCount(false);
                    quiet = now == compiled ? quiet + 1 : 0;
                    compiled = now;
                    continue;
                }
                total.Add(elapsed);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                parse.Add(p);
                body.Add(instance.BodyMs);
                register.Add(instance.RegisterMs);
            }
            var compiledAfter = JitInfo.GetCompiledMethodCount(false);
            var reused = BundleInstance.Parse(code, out _);
            var instanceOnly = new List<double>();
            for (var i = 0; i < options.MeasureLoad; i++)
            {
                var clock = Stopwatch.StartNew();
                BundleInstance.Load(name, reused, secrets, sink, timers, scheduler);
                instanceOnly.Add(clock.Elapsed.TotalMilliseconds);
            }
            double Median(List<double> xs) => Math.Round(xs.OrderBy(x => x).ElementAt(xs.Count / 2), 1);
            return new Dictionary<string, object>
            {
                ["loads"] = options.MeasureLoad,
                ["settleLoads"] = settled,
                // Whether the settling ended on K quiet loads (false: it stopped at --settle-max).
                ["jitQuiet"] = options.SettleUntilJitQuiet == 0 || quiet >= options.SettleUntilJitQuiet,
                ["jitQuietLoads"] = options.SettleUntilJitQuiet,
                ["compiledMethods"] = compiledAtMeasure,
                // Methods the runtime compiled while the measured loads ran: 0 when settled.
                ["compiledDuringMeasure"] = compiledAfter - compiledAtMeasure,
                ["loadAndRegisterMs"] = Median(total),
                ["loadAndRegisterCpuMs"] = Median(cpu),
                ["parseMs"] = Median(parse),
                ["bodyMs"] = Median(body),
                ["registerMs"] = Median(register),
                ["reusedScriptInstanceMs"] = Median(instanceOnly),
                ["earlyLoadAndRegisterMs"] = Median(series.Take(5).ToList()),
                ["seriesMs"] = series,
            };
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
