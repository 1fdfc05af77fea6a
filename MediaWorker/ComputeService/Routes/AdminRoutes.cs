using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Auth;
using MediaWorker.ComputeService.Forms;
using MediaWorker.ComputeService.Responses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.ComputeService.Routes;

/// <summary>
/// The admin routes (an admin token, or guest mode): storage size, cleanup of old jobs, and guest
/// mode under <c>/admin/config</c> (the seed's) and <c>/admin/pref</c> (the newer SDK's name).
/// </summary>
internal static class AdminRoutes
{
    public static void Map(IEndpointRouteBuilder routes, ComputeApi api)
    {
        routes.MapGet("/admin/jobs/storage/size", async context =>
        {
            await api.Access.RequireAdminAsync(context.Request);
            var (bytes, count) = api.Jobs.StorageSize();
            await JsonAnswer.WriteAsync(context.Response, new JsonObject { ["total_size"] = bytes, ["job_count"] = count });
        });

        routes.MapDelete("/admin/jobs/cleanup", async context =>
        {
            await api.Access.RequireAdminAsync(context.Request);
            var days = Days(context.Request);
            var (deleted, freed) = api.Jobs.Cleanup(days);
            await JsonAnswer.WriteAsync(context.Response, new JsonObject { ["deleted_count"] = deleted, ["freed_space"] = freed });
        });

        routes.MapGet("/admin/config", async context =>
        {
            await api.Access.RequireAdminAsync(context.Request);
            var state = api.GuestMode.Current;
            await JsonAnswer.WriteAsync(context.Response, new JsonObject { ["guest_mode"] = state.GuestMode, ["updated_at"] = state.UpdatedAt, ["updated_by"] = state.UpdatedBy });
        });

        routes.MapGet("/admin/pref/guest-mode", async context =>
        {
            await api.Access.RequireAdminAsync(context.Request);
            await JsonAnswer.WriteAsync(context.Response, new JsonObject { ["guest_mode"] = api.GuestMode.Current.GuestMode });
        });

        foreach (var path in new[] { "/admin/config/guest-mode", "/admin/pref/guest-mode" })
        {
            routes.MapPut(path, context => SetGuestModeAsync(context, api));
        }
    }

    private static async Task SetGuestModeAsync(HttpContext context, ComputeApi api)
    {
        var caller = await api.Access.RequireAdminAsync(context.Request);
        var fields = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new FormValues(fields);
        if (values.Text("guest_mode") is null)
        {
            values.Errors.Missing("guest_mode");
        }

        var guestMode = values.Boolean("guest_mode", false);
        values.Errors.ThrowIfAny();
        api.GuestMode.Set(guestMode, caller?.Id);
        await JsonAnswer.WriteAsync(context.Response, new JsonObject { ["guest_mode"] = guestMode, ["message"] = "Configuration updated successfully" });
    }

    /// <summary>The <c>days</c> query (default 7, 0 or more), checked as FastAPI does.</summary>
    private static int Days(HttpRequest request)
    {
        var raw = request.Query["days"].ToString();
        if (raw.Length == 0)
        {
            return 7;
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 36_500)
        {
            return days;
        }

        var errors = new FieldErrors();
        errors.Add("days", "greater_than_equal", "Input should be a whole number of days, 0 or more", raw);
        throw errors.ToException();
    }
}
