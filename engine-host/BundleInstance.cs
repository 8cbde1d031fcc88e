using System;
using System.Collections.Generic;
using System.Diagnostics;
using NiL.JS;
using NiL.JS.Core;

namespace TwcEngineHost
{
    /// <summary>
    /// One loaded instance of the bundle: a module evaluated in its own module context, with the
    /// host's globals and `neo/secrets`, whose default export has registered the hooks. Under
    /// `--instances shared` the host keeps one for every call; under `per-call` it loads one per hook
    /// call and drops it after, so nothing of the script survives from one call to the next.
    ///
    /// The parsed <see cref="Script"/> is reused across instances (NiL.JS's Module takes a Script),
    /// so a per-call instance pays module-body evaluation and registration, not parsing.
    /// </summary>
    public sealed class BundleInstance
    {
        public HookRegistry Registry { get; private set; }
        public double BodyMs { get; private set; }
        public double RegisterMs { get; private set; }

        /// <summary>Parses the bundle once; the result is shared by every instance.</summary>
        public static Script Parse(string code, out double parseMs)
        {
            var clock = Stopwatch.StartNew();
            var script = Script.Parse(code);
            parseMs = clock.Elapsed.TotalMilliseconds;
            return script;
        }

        /// <summary>Evaluates the module body and calls its default export; throws what the script throws.</summary>
        public static BundleInstance Load(string name, Script script, Dictionary<string, string> secrets, LineSink sink, HostTimers timers, System.Threading.Tasks.TaskScheduler scheduler)
        {
            var clock = Stopwatch.StartNew();
            var module = new Module(name, script);
            module.ModuleResolversChain.Add(new SecretsModuleResolver(secrets));
            HostGlobals.Install(module.Context, sink, timers, scheduler);
            module.Run();
            var bodyMs = clock.Elapsed.TotalMilliseconds;
            var registry = new HookRegistry();
            var register = module.Exports.Default;
            if (register == null || register.Value is not NiL.JS.BaseLibrary.Function fn)
                throw new InvalidOperationException("the bundle has no default export function");
            fn.Call(new Arguments { registry.ContextObject() });
            return new BundleInstance
            {
                Registry = registry,
                BodyMs = bodyMs,
                RegisterMs = clock.Elapsed.TotalMilliseconds - bodyMs,
            };
        }
    }
}
