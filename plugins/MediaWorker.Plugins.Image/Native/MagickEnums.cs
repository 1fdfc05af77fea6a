namespace MediaWorker.Plugins.Image.Native;

// The C enums of ImageMagick 6 this binding passes or reads, with their values written out so the
// layout test (MagickHeaderLayoutTests) can compare every one against the installed headers.

/// <summary><c>ExceptionType</c> (magick/exception.h): warnings are 300-399, errors 400-499, fatal errors 700-799.</summary>
#pragma warning disable CA1069 // The C header gives the first warning and error of each range two names.
internal enum ExceptionType
{
    UndefinedException = 0,
    WarningException = 300,
    ResourceLimitWarning = 300,
    CorruptImageWarning = 325,
    FileOpenWarning = 330,
    CoderWarning = 350,
    ErrorException = 400,
    ResourceLimitError = 400,
    TypeError = 405,
    OptionError = 410,
    DelegateError = 415,
    MissingDelegateError = 420,
    CorruptImageError = 425,
    FileOpenError = 430,
    BlobError = 435,
    StreamError = 440,
    CacheError = 445,
    CoderError = 450,
    ImageError = 465,
    WandError = 470,
    PolicyError = 499,
    FatalErrorException = 700,
}
#pragma warning restore CA1069

/// <summary><c>ResourceType</c> (magick/resource_.h).</summary>
internal enum ResourceType
{
    UndefinedResource = 0,
    AreaResource = 1,
    DiskResource = 2,
    FileResource = 3,
    MapResource = 4,
    MemoryResource = 5,
    ThreadResource = 6,
    TimeResource = 7,
    ThrottleResource = 8,
    WidthResource = 9,
    HeightResource = 10,
    ListLengthResource = 11,
}

/// <summary><c>OrientationType</c> (magick/image.h): the EXIF orientation values 1-8.</summary>
internal enum OrientationType
{
    UndefinedOrientation = 0,
    TopLeftOrientation = 1,
    TopRightOrientation = 2,
    BottomRightOrientation = 3,
    BottomLeftOrientation = 4,
    LeftTopOrientation = 5,
    RightTopOrientation = 6,
    RightBottomOrientation = 7,
    LeftBottomOrientation = 8,
}

/// <summary><c>AlphaChannelType</c> (magick/image.h), the members this binding uses.</summary>
internal enum AlphaChannelType
{
    UndefinedAlphaChannel = 0,
    ActivateAlphaChannel = 1,
    DeactivateAlphaChannel = 4,
    OpaqueAlphaChannel = 6,
    RemoveAlphaChannel = 12,
}

/// <summary><c>FilterTypes</c> (magick/resample.h), the members this binding uses.</summary>
internal enum FilterType
{
    UndefinedFilter = 0,
    PointFilter = 1,
    BoxFilter = 2,
    TriangleFilter = 3,
    LanczosFilter = 22,
}

/// <summary><c>StorageType</c> (magick/constitute.h).</summary>
internal enum StorageType
{
    UndefinedPixel = 0,
    CharPixel = 1,
    DoublePixel = 2,
    FloatPixel = 3,
    IntegerPixel = 4,
    LongPixel = 5,
    QuantumPixel = 6,
    ShortPixel = 7,
}

/// <summary><c>ColorspaceType</c> (magick/colorspace.h), the members this binding uses.</summary>
internal enum ColorspaceType
{
    UndefinedColorspace = 0,
    CMYKColorspace = 12,
    SRGBColorspace = 13,
}

/// <summary><c>CompressionType</c> (magick/compress.h), the members this binding uses.</summary>
internal enum CompressionType
{
    UndefinedCompression = 0,
    NoCompression = 1,
    ZipCompression = 13,
}
