using System;
using System.Collections.Concurrent;
using System.Threading;
using Math = System.Math;
using System.Threading.Tasks;
using NiL.JS.BaseLibrary;
using NiL.JS.Core;

namespace TwcEngineHost
{
    /// <summary>setTimeout / clearTimeout: one-shot .NET timers whose callbacks run on the host's scheduler.</summary>
    public sealed class HostTimers
    {
        readonly TaskScheduler _scheduler;
        readonly LineSink _sink;
        readonly ConcurrentDictionary<int, Timer> _timers = new ConcurrentDictionary<int, Timer>();
        int _next;

        public HostTimers(TaskScheduler scheduler, LineSink sink)
        {
            _scheduler = scheduler;
            _sink = sink;
        }

        public JSValue Set(Arguments args)
        {
            var callback = args[0].Value as Function;
            var ms = args.Length > 1 && args[1].Defined ? Math.Max(0, (int)Tools.JSObjectToDouble(args[1])) : 0;
            var id = Interlocked.Increment(ref _next);
            if (callback == null) return id;
            var timer = new Timer(_ =>
            {
                if (!_timers.TryRemove(id, out var self)) return;
                self.Dispose();
                Task.Factory.StartNew(() =>
                {
                    try
                    {
                        callback.Call(new Arguments());
                    }
                    catch (Exception e)
                    {
                        _sink.Write("host", "timer callback threw: " + Program.Describe(e));
                    }
                }, CancellationToken.None, TaskCreationOptions.None, _scheduler);
            });
            _timers[id] = timer;
            timer.Change(ms, Timeout.Infinite);
            return id;
        }

        public JSValue Clear(Arguments args)
        {
            if (args.Length > 0 && args[0].Defined && !args[0].IsNull)
            {
                var id = (int)Tools.JSObjectToDouble(args[0]);
                if (_timers.TryRemove(id, out var timer)) timer.Dispose();
            }
            return JSValue.Undefined;
        }
    }
}
