using System.Runtime.InteropServices;

namespace MediaWorker.Tests.Support;

/// <summary>
/// Cuts a TCP connection from our side without any MQTT goodbye (shutdown(2) on the client's
/// socket): to the broker it looks like a crash or a pulled cable, so it publishes the will.
/// </summary>
internal static partial class LinkCutter
{
    private const int ShutReadWrite = 2;

    public static void Cut(int socketDescriptor)
    {
        if (socketDescriptor < 0)
        {
            throw new InvalidOperationException("The client has no open socket to cut.");
        }

        if (Shutdown(socketDescriptor, ShutReadWrite) != 0)
        {
            throw new InvalidOperationException($"shutdown({socketDescriptor}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int Shutdown(int socket, int how);
}
