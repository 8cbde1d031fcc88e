using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NiL.JS.BaseLibrary;
using NiL.JS.Core;
using NiL.JS.Core.Functions;

namespace TwcEngineHost
{
    /// <summary>
    /// What the host lends the script: `fetch` (a minimal Fetch API whose promises are the engine's
    /// own, made from .NET tasks, as a host-created promise is), `setTimeout`/`clearTimeout`, and a
    /// `console` whose lines go to the sink. Nothing else is added to the engine's global scope.
    /// </summary>
    public static class HostGlobals
    {
        static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 64,
        }) { Timeout = TimeSpan.FromSeconds(60) };

        /// <summary>Where script values are made: NiL.JS's own tables (its type proxies among them) are not thread-safe.</summary>
        static TaskScheduler _script = TaskScheduler.Default;

        public static void Install(Context context, LineSink sink, HostTimers timers, TaskScheduler script)
        {
            _script = script;
            context.DefineVariable("fetch").Assign(new ExternalFunction((self, args) => Fetch(args)));
            context.DefineVariable("setTimeout").Assign(new ExternalFunction((self, args) => timers.Set(args)));
            context.DefineVariable("clearTimeout").Assign(new ExternalFunction((self, args) => timers.Clear(args)));
            context.DefineVariable("console").Assign(ConsoleObject(sink));
        }

        static JSValue ConsoleObject(LineSink sink)
        {
            var console = JSObject.CreateObject();
            foreach (var level in new[] { "log", "info", "warn", "error", "debug" })
            {
                var name = level;
                console[name] = new ExternalFunction((self, args) =>
                {
                    var parts = new List<string>();
                    for (var i = 0; i < args.Length; i++) parts.Add(args[i]?.ToString() ?? "undefined");
                    sink.Write(name, string.Join(" ", parts));
                    return JSValue.Undefined;
                });
            }
            return console;
        }

        static JSValue Fetch(Arguments args)
        {
            var url = args[0].ToString();
            var init = args.Length > 1 ? args[1] : JSValue.Undefined;
            var method = Text(init, "method") ?? "GET";
            var redirect = Text(init, "redirect") ?? "follow";
            var body = Text(init, "body");
            var headers = new List<KeyValuePair<string, string>>();
            var h = init.Defined && !init.IsNull ? init["headers"] : JSValue.Undefined;
            if (h.Defined && !h.IsNull)
                foreach (var kv in h) headers.Add(new KeyValuePair<string, string>(kv.Key, kv.Value.ToString()));
            return JSValue.Marshal(Send(url, method, headers, body, redirect));
        }

        static string Text(JSValue o, string name)
        {
            if (!o.Defined || o.IsNull) return null;
            var v = o[name];
            return v.Defined && !v.IsNull ? v.ToString() : null;
        }

        static async Task<JSValue> Send(string url, string method, List<KeyValuePair<string, string>> headers, string body, string redirect)
        {
            var current = url;
            for (var hop = 0; ; hop++)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), current);
                if (body != null) request.Content = new StringContent(body, Encoding.UTF8);
                foreach (var kv in headers)
                {
                    // The host frames the body itself, as a browser's fetch does.
                    var lower = kv.Key.ToLowerInvariant();
                    if (lower == "content-length" || lower == "host" || lower == "connection" || lower == "transfer-encoding") continue;
                    if (!request.Headers.TryAddWithoutValidation(kv.Key, kv.Value))
                    {
                        if (request.Content == null) request.Content = new ByteArrayContent(System.Array.Empty<byte>());
                        request.Content.Headers.Remove(kv.Key);
                        request.Content.Headers.TryAddWithoutValidation(kv.Key, kv.Value);
                    }
                }
                HttpResponseMessage response;
                try
                {
                    response = await Http.SendAsync(request).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    var reason = "fetch failed: " + e.GetType().Name;
                    return await OnScript(() => throw new JSException(new TypeError(reason)));
                }
                var status = (int)response.StatusCode;
                var location = response.Headers.Location;
                // Like a browser's fetch: follow unless asked not to ('manual' returns the 3xx itself).
                if (status >= 300 && status < 400 && location != null && redirect == "follow" && hop < 5)
                {
                    current = new Uri(new Uri(current), location).ToString();
                    continue;
                }
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                var final = current;
                var redirected = hop > 0;
                return await OnScript(() => ResponseObject(response, status, text, final, redirected));
            }
        }

        /// <summary>Runs value-making code where script code runs (one thread under --threads single).</summary>
        static Task<JSValue> OnScript(Func<JSValue> make) =>
            Task.Factory.StartNew(make, CancellationToken.None, TaskCreationOptions.None, _script);

        static JSValue ResponseObject(HttpResponseMessage response, int status, string text, string url, bool redirected)
        {
            var all = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(p => p.Key.ToLowerInvariant(), p => string.Join(", ", p.Value));
            var headers = JSObject.CreateObject();
            headers["get"] = new ExternalFunction((self, a) =>
                all.TryGetValue(a[0].ToString().ToLowerInvariant(), out var v) ? (JSValue)v : JSValue.Null);
            headers["forEach"] = new ExternalFunction((self, a) =>
            {
                var callback = a[0].Value as Function;
                foreach (var p in all) callback.Call(new Arguments { p.Value, p.Key });
                return JSValue.Undefined;
            });
            var o = JSObject.CreateObject();
            o["status"] = status;
            o["ok"] = status >= 200 && status < 300;
            o["url"] = url;
            o["redirected"] = redirected;
            o["headers"] = headers;
            o["text"] = new ExternalFunction((self, a) => JSValue.Marshal(Task.FromResult<JSValue>(text)));
            o["json"] = new ExternalFunction((self, a) => JSValue.Marshal(Task.FromResult(NiL.JS.BaseLibrary.JSON.parse(text))));
            return o;
        }
    }
}
