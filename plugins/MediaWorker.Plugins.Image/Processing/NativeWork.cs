namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// Runs blocking native work (ImageMagick decodes and encodes) on a dedicated thread, so it never
/// holds a thread-pool thread for seconds. Cancellation reaches the native code through the
/// <see cref="Magick.OperationGuard"/> the work installs, not through this method.
/// </summary>
internal static class NativeWork
{
    public static Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
}
