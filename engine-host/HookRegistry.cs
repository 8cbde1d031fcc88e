using System.Collections.Concurrent;
using System.Linq;
using NiL.JS.BaseLibrary;
using NiL.JS.Core;
using NiL.JS.Core.Functions;

namespace TwcEngineHost
{
    /// <summary>The `context` handed to the default export: `register(key, members)` records each member function.</summary>
    public sealed class HookRegistry
    {
        readonly ConcurrentDictionary<string, Function> _hooks = new ConcurrentDictionary<string, Function>();

        public JSValue ContextObject()
        {
            var context = JSObject.CreateObject();
            context["register"] = new ExternalFunction((self, args) =>
            {
                var key = args[0].ToString();
                foreach (var member in args[1])
                    if (member.Value.Value is Function fn) _hooks[key + "." + member.Key] = fn;
                return JSValue.Undefined;
            });
            return context;
        }

        public string[] Names() => _hooks.Keys.OrderBy(k => k).ToArray();

        public Function Hook(string name) =>
            _hooks.TryGetValue("runtime.wallet.passUpdater." + name, out var fn) ? fn : null;
    }
}
