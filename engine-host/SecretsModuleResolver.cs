using System.Collections.Generic;
using System.Threading.Tasks;
using NiL.JS;
using NiL.JS.BaseLibrary;
using NiL.JS.Core;
using NiL.JS.Core.Functions;

namespace TwcEngineHost
{
    /// <summary>Serves the platform module `neo/secrets`: getSecret(name) returns a host promise of the value, rejected when absent.</summary>
    public sealed class SecretsModuleResolver : IModuleResolver
    {
        readonly Dictionary<string, string> _secrets;

        public SecretsModuleResolver(Dictionary<string, string> secrets) { _secrets = secrets; }

        public bool TryGetModule(ModuleRequest request, out Module result)
        {
            result = null;
            if (request.CmdArgument != "neo/secrets") return false;
            // The platform's module is opaque; this one forwards to a host function, so the value is a host promise.
            var module = new Module("neo/secrets", "export function getSecret(name) { return __hostGetSecret(name); }");
            module.Context.DefineVariable("__hostGetSecret").Assign(new ExternalFunction((self, args) =>
            {
                var name = args[0].ToString();
                var task = _secrets.TryGetValue(name, out var value)
                    ? Task.FromResult<JSValue>(value)
                    : Task.FromException<JSValue>(new JSException(new Error("secret \"" + name + "\" is not set")));
                return JSValue.Marshal(task);
            }));
            module.Run();
            result = module;
            return true;
        }
    }
}
