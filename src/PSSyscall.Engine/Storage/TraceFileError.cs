namespace PSSyscall.Engine.Storage;

/// <summary>Why a trace file (or one line of it) could not be read.</summary>
public enum TraceFileErrorKind
{
    /// <summary>One line is not valid in the file's format; reading goes on.</summary>
    MalformedLine,

    /// <summary>The file has no content.</summary>
    EmptyFile,

    /// <summary>The file is not text in any trace format (binary data); nothing is read from it.</summary>
    NotATraceFile,

    /// <summary>The file does not exist.</summary>
    NotFound,

    /// <summary>The file cannot be opened or read (permissions, a directory, an I/O error).</summary>
    Unreadable,

    /// <summary>The file declares a format version newer than this build understands.</summary>
    UnsupportedVersion,
}

/// <summary>A problem found while reading a trace file: which file, which line, what is wrong.</summary>
public sealed record TraceFileError(TraceFileErrorKind Kind, string FilePath, long LineNumber, string Message) : IEngineFailure
{
    public string ErrorId => Kind switch
    {
        TraceFileErrorKind.MalformedLine => "MalformedTraceLine",
        TraceFileErrorKind.EmptyFile => "EmptyTraceFile",
        TraceFileErrorKind.NotATraceFile => "NotATraceFile",
        TraceFileErrorKind.UnsupportedVersion => "UnsupportedTraceVersion",
        TraceFileErrorKind.NotFound => "TraceFileNotFound",
        _ => "TraceFileUnreadable",
    };

    public FailureCategory Category => Kind switch
    {
        TraceFileErrorKind.NotFound => FailureCategory.ObjectNotFound,
        TraceFileErrorKind.Unreadable => FailureCategory.ReadError,
        _ => FailureCategory.InvalidData,
    };

    /// <summary>The file, and the line where there is one ("trace.log:12").</summary>
    public object? Target => LineNumber > 0 ? $"{FilePath}:{LineNumber}" : FilePath;

    /// <summary>The sentence for the user: which line of which file, and why.</summary>
    string IEngineFailure.Message => Kind == TraceFileErrorKind.MalformedLine
        ? $"Line {LineNumber} of '{FilePath}' was skipped: {Message}"
        : $"'{FilePath}': {Message}";

    public override string ToString() => LineNumber > 0
        ? $"{FilePath}:{LineNumber}: {Message}"
        : $"{FilePath}: {Message}";
}
