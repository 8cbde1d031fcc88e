using System;

namespace TwcEngineHost
{
    /// <summary>Command line of the host; every option is named, none positional.</summary>
    public sealed class HostOptions
    {
        public const string Usage =
            "usage: engine-host --bundle FILE [--secrets FILE] [--calls FILE.jsonl] [--in-flight N] " +
            "[--threads pool|single] [--instances shared|per-call] [--measure-load N] [--settle-loads S] [--settle-until-jit-quiet K] [--settle-max M] [--call-timeout-ms MS] [--redeliver ROUNDS] [--redeliver-delay-ms MS] [--log FILE]";

        public string BundleFile;
        public string SecretsFile;
        public string CallsFile;
        public string LogFile;
        public int InFlight = 16;
        /// <summary>pool: the engine's continuations run on the .NET thread pool, as NiL.JS schedules them; single: one thread runs all script code.</summary>
        public string Threads = "single";
        /// <summary>shared: one instance of the bundle for every call; per-call: a fresh one per hook call (nothing kept between calls).</summary>
        public string Instances = "shared";
        /// <summary>After the first (cold) load, N further loads to measure warm figures (0: none).</summary>
        public int MeasureLoad;
        /// <summary>
        /// With --measure-load: S loads before the N measured ones, left out of the medians. The
        /// runtime compiles the engine's parser again with full optimisation only after it has run a
        /// while (tiered compilation, in the background on the same core when the host is pinned), so
        /// the loads just after the first measure the JIT as much as the parse.
        /// </summary>
        public int SettleLoads;
        /// <summary>
        /// With --measure-load: after the S settling loads, go on settling until K loads in a row
        /// compiled no new method (0: do not wait for it). Pinned to one core the runtime needs a few
        /// hundred loads of the bundle before it has finished compiling the engine's code.
        /// </summary>
        public int SettleUntilJitQuiet;
        /// <summary>The most settling loads --settle-until-jit-quiet may take; the summary says whether it got there.</summary>
        public int SettleMax = 1500;
        public int CallTimeoutMs = 30000;
        public int Redeliver = 3;
        /// <summary>Pause before each new delivery round: the platform delivers a rejected call again later, not at once.</summary>
        public int RedeliverDelayMs;

        public static HostOptions Parse(string[] argv)
        {
            var o = new HostOptions();
            for (var i = 0; i < argv.Length; i++)
            {
                string Next() => i + 1 < argv.Length ? argv[++i] : throw new ArgumentException(argv[i] + " needs a value");
                switch (argv[i])
                {
                    case "--bundle": o.BundleFile = Next(); break;
                    case "--secrets": o.SecretsFile = Next(); break;
                    case "--calls": o.CallsFile = Next(); break;
                    case "--log": o.LogFile = Next(); break;
                    case "--in-flight": o.InFlight = PositiveInt(Next(), "--in-flight"); break;
                    case "--threads": o.Threads = Next(); break;
                    case "--instances": o.Instances = Next(); break;
                    case "--measure-load": o.MeasureLoad = PositiveInt(Next(), "--measure-load"); break;
                    case "--settle-loads": o.SettleLoads = NonNegativeInt(Next(), "--settle-loads"); break;
                    case "--settle-until-jit-quiet": o.SettleUntilJitQuiet = NonNegativeInt(Next(), "--settle-until-jit-quiet"); break;
                    case "--settle-max": o.SettleMax = PositiveInt(Next(), "--settle-max"); break;
                    case "--call-timeout-ms": o.CallTimeoutMs = PositiveInt(Next(), "--call-timeout-ms"); break;
                    case "--redeliver": o.Redeliver = int.Parse(Next()); break;
                    case "--redeliver-delay-ms": o.RedeliverDelayMs = int.Parse(Next()); break;
                    default: throw new ArgumentException("unknown option " + argv[i]);
                }
            }
            if (o.BundleFile == null) throw new ArgumentException("--bundle is required");
            if (o.Threads != "pool" && o.Threads != "single") throw new ArgumentException("--threads takes pool or single");
            if (o.Instances != "shared" && o.Instances != "per-call") throw new ArgumentException("--instances takes shared or per-call");
            return o;
        }

        static int NonNegativeInt(string text, string name)
        {
            if (!int.TryParse(text, out var n) || n < 0) throw new ArgumentException(name + " takes a whole number, 0 or more");
            return n;
        }

        static int PositiveInt(string text, string name)
        {
            if (!int.TryParse(text, out var n) || n < 1) throw new ArgumentException(name + " takes a whole number above 0");
            return n;
        }
    }
}
