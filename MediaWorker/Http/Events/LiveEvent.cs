using System.Text.Json.Nodes;

namespace MediaWorker.Http.Events;

/// <summary>One message of the live stream: <c>job</c> (a job's lifecycle) or <c>worker</c> (joined, changed, left).</summary>
/// <param name="Id">Increasing per server process: the SSE <c>id:</c>.</param>
public sealed record LiveEvent(long Id, string Type, JsonObject Data);
