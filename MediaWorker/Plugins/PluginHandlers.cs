using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins;

/// <summary>A plugin whose handlers were created and checked, before it joins a <see cref="TaskRegistry"/>.</summary>
internal sealed record PluginHandlers(string Name, string Version, string Directory, IReadOnlyList<ITaskHandler> Handlers);

/// <summary>What loading one plugin folder gave: the plugin, or why it failed (and the exception behind it, for the log).</summary>
internal sealed record PluginFolderResult(PluginHandlers? Plugin, PluginLoadFailure? Failure, Exception? Cause);
