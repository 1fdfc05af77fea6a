namespace MediaWorker.Plugins.Image.Processing;

/// <summary>How an image is fitted into the requested box.</summary>
internal enum FitMode
{
    /// <summary>Scale to fit inside the box, keeping the aspect ratio (an 800x600 image into 400x400 gives 400x300).</summary>
    Contain,

    /// <summary>Scale to cover the box, keeping the aspect ratio, then crop the overflow from the centre.</summary>
    Cover,

    /// <summary>Scale to exactly the box, ignoring the aspect ratio.</summary>
    Fill,
}
