using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Responses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.ComputeService.Routes;

/// <summary><c>GET /</c> (health) and <c>GET /capabilities</c> (live workers); neither needs a token, as in the seed.</summary>
internal static class RootRoutes
{
    public static void Map(IEndpointRouteBuilder routes, ComputeApi api)
    {
        routes.MapGet("/", () => JsonAnswer.Ok(new JsonObject
        {
            ["status"] = "healthy",
            ["service"] = "Task Server",
            ["version"] = "v1",
            ["guestMode"] = api.Access.AuthRequired ? "off" : "on",
            ["auth_required"] = api.Access.AuthRequired,
        }));

        routes.MapGet("/capabilities", () =>
        {
            var workers = api.Workers.LiveWorkers(api.Time.GetUtcNow());
            var idle = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var worker in workers)
            {
                foreach (var task in worker.Capabilities.Distinct(StringComparer.Ordinal))
                {
                    idle[task] = idle.GetValueOrDefault(task) + worker.IdleCount;
                }
            }

            var capabilities = new JsonObject();
            foreach (var (task, count) in idle)
            {
                capabilities[task] = count;
            }

            return JsonAnswer.Ok(new JsonObject { ["num_workers"] = workers.Count, ["capabilities"] = capabilities });
        });
    }
}
