using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TwcEngineHost
{
    /// <summary>
    /// Runs every task on one dedicated thread. NiL.JS schedules promise reactions with
    /// TaskScheduler.Current, so a host that starts script work here keeps all script code on one
    /// thread (`--threads single`); the default (`pool`) leaves them on the thread pool.
    /// </summary>
    public sealed class SingleThreadScheduler : TaskScheduler
    {
        readonly BlockingCollection<Task> _queue = new BlockingCollection<Task>();

        public SingleThreadScheduler()
        {
            var thread = new Thread(() =>
            {
                foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
            }) { IsBackground = true, Name = "script" };
            thread.Start();
        }

        protected override void QueueTask(Task task) => _queue.Add(task);
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
            false;
        protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();
    }
}
