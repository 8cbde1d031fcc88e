using System.Collections.Generic;
using System.IO;

namespace TwcEngineHost
{
    /// <summary>Where the script's console lines go; counts them by level. Written from any thread.</summary>
    public sealed class LineSink
    {
        readonly TextWriter _out;
        readonly object _gate = new object();
        public readonly Dictionary<string, int> Counts = new Dictionary<string, int>();

        public LineSink(TextWriter output) { _out = output; }

        public void Write(string level, string line)
        {
            lock (_gate)
            {
                Counts[level] = Counts.TryGetValue(level, out var n) ? n + 1 : 1;
                _out.WriteLine(level + "\t" + line);
            }
        }
    }
}
