using System.Runtime.InteropServices;

namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>
/// Owns a <c>struct mosquitto *</c>. Releasing it destroys the client, then frees the GCHandle that
/// the client's callbacks receive as their <c>obj</c> argument: the callbacks can fire until
/// <c>mosquitto_destroy</c> returns, so the GCHandle must outlive the native client, never the reverse.
/// </summary>
internal sealed class MosquittoHandle : SafeHandle
{
    private nint _callbackState;

    /// <summary>Called by the LibraryImport marshaller when <c>mosquitto_new</c> returns.</summary>
    public MosquittoHandle()
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The GCHandle passed to <c>mosquitto_new</c> as <c>obj</c>; freed after the client is destroyed.</summary>
    public void AttachCallbackState(GCHandle state) => _callbackState = GCHandle.ToIntPtr(state);

    protected override bool ReleaseHandle()
    {
        Libmosquitto.mosquitto_destroy(handle);
        if (_callbackState != 0)
        {
            GCHandle.FromIntPtr(_callbackState).Free();
            _callbackState = 0;
        }

        MosquittoLibrary.Release();
        return true;
    }
}
