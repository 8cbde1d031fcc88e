using System;
using System.Collections.Generic;
using System.Linq;
using Math = System.Math;
using System.Threading;
using System.Threading.Tasks;
using NiL.JS.BaseLibrary;
using NiL.JS.Core;

namespace TwcEngineHost
{
    /// <summary>One delivery round: every given call, at most N in flight, each hook promise awaited.</summary>
    public sealed class CallRunner
    {
        /// <summary>The instance a call runs on: the shared one, or a fresh one per call (--instances per-call).</summary>
        readonly Func<HookRegistry> _instanceFor;
        readonly TaskScheduler _scheduler;
        readonly HostOptions _options;
        readonly LineSink _sink;

        public CallRunner(Func<HookRegistry> instanceFor, TaskScheduler scheduler, HostOptions options, LineSink sink)
        {
            _instanceFor = instanceFor;
            _scheduler = scheduler;
            _options = options;
            _sink = sink;
        }

        public sealed class RoundOutcome
        {
            public int Resolved, Rejected, NeverSettled, Threw, NotAPromise;
            public readonly List<int> Retry = new List<int>();
            public readonly Dictionary<string, int> Reasons = new Dictionary<string, int>();
            public readonly List<double> DurationsMs = new List<double>();

            public object Summary(int round)
            {
                var sorted = DurationsMs.OrderBy(x => x).ToList();
                double P(double q) => sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)], 1);
                return new Dictionary<string, object>
                {
                    ["round"] = round,
                    ["calls"] = Resolved + Rejected + NeverSettled + Threw + NotAPromise,
                    ["resolved"] = Resolved,
                    ["rejected"] = Rejected,
                    ["neverSettled"] = NeverSettled,
                    ["threw"] = Threw,
                    ["notAPromise"] = NotAPromise,
                    ["reasons"] = Reasons,
                    ["p50Ms"] = P(0.5),
                    ["p99Ms"] = P(0.99),
                };
            }
        }

        public async Task<RoundOutcome> RunRound(List<string> lines, List<int> indexes)
        {
            var outcome = new RoundOutcome();
            var gate = new SemaphoreSlim(_options.InFlight);
            var running = new List<Task>();
            foreach (var index in indexes)
            {
                await gate.WaitAsync();
                running.Add(RunOne(lines[index], index, outcome).ContinueWith(_ => gate.Release()));
            }
            await Task.WhenAll(running);
            return outcome;
        }

        async Task RunOne(string line, int index, RoundOutcome outcome)
        {
            var started = DateTime.UtcNow;
            string kind;
            string reason = null;
            try
            {
                var returned = await Task.Factory.StartNew(() => Invoke(line), CancellationToken.None, TaskCreationOptions.None, _scheduler);
                if (returned?.Value is Promise promise)
                {
                    var finished = await Task.WhenAny(promise.Task, Task.Delay(_options.CallTimeoutMs));
                    if (finished != promise.Task) kind = "neverSettled";
                    else if (promise.Task.Status == TaskStatus.RanToCompletion) kind = "resolved";
                    else
                    {
                        kind = "rejected";
                        reason = Program.Describe(promise.Task.Exception);
                    }
                }
                else kind = "notAPromise";
            }
            catch (Exception e)
            {
                kind = "threw";
                reason = Program.Describe(e);
            }
            lock (outcome)
            {
                outcome.DurationsMs.Add((DateTime.UtcNow - started).TotalMilliseconds);
                switch (kind)
                {
                    case "resolved": outcome.Resolved++; break;
                    case "rejected": outcome.Rejected++; outcome.Retry.Add(index); break;
                    case "neverSettled": outcome.NeverSettled++; outcome.Retry.Add(index); break;
                    case "threw": outcome.Threw++; outcome.Retry.Add(index); break;
                    default: outcome.NotAPromise++; outcome.Retry.Add(index); break;
                }
                if (reason != null)
                {
                    var key = reason.Length > 160 ? reason.Substring(0, 160) : reason;
                    outcome.Reasons[key] = outcome.Reasons.TryGetValue(key, out var n) ? n + 1 : 1;
                }
            }
        }

        JSValue Invoke(string line)
        {
            var call = NiL.JS.BaseLibrary.JSON.parse(line);
            var hook = _instanceFor().Hook(call["hook"].ToString());
            if (hook == null) throw new InvalidOperationException("no hook registered for " + call["hook"]);
            var list = call["args"];
            var args = new Arguments();
            var length = (int)Tools.JSObjectToDouble(list["length"]);
            for (var i = 0; i < length; i++) args.Add(list[i.ToString()]);
            return hook.Call(args);
        }
    }
}
