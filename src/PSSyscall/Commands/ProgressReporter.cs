using System.Management.Automation;

namespace PSSyscall.Commands;

/// <summary>
/// One Write-Progress bar of a cmdlet, updated at most a few times a second however often
/// <see cref="Report"/> is called (a progress record per event would cost more than the event), and
/// closed by <see cref="Complete"/> only if it was ever shown. Call it on the pipeline thread only.
/// </summary>
internal sealed class ProgressReporter
{
    private const long IntervalMilliseconds = 250;

    private readonly Cmdlet _cmdlet;
    private readonly int _activityId;
    private readonly string _activity;
    private string _status = "";
    private long _next;
    private bool _shown;

    public ProgressReporter(Cmdlet cmdlet, int activityId, string activity)
    {
        _cmdlet = cmdlet;
        _activityId = activityId;
        _activity = activity;
    }

    /// <summary>True when a <see cref="Report"/> now would show: test it before building the status text.</summary>
    public bool Due => !_shown || Environment.TickCount64 >= _next;

    /// <summary>Shows <paramref name="status"/> (and a percentage when known, else -1) unless the
    /// bar was updated less than a quarter of a second ago. The first report always shows.</summary>
    public void Report(string status, int percent = -1, string? operation = null)
    {
        long now = Environment.TickCount64;
        if (_shown && now < _next)
            return;
        _next = now + IntervalMilliseconds;
        _status = status;
        // A new record each time: hosts and Streams.Progress keep the records they are given.
        _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, status)
        {
            PercentComplete = Math.Clamp(percent, -1, 100),
            CurrentOperation = operation,
        });
        _shown = true;
    }

    /// <summary>Removes the bar (if it was shown).</summary>
    public void Complete()
    {
        if (!_shown)
            return;
        _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, _status) { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        _shown = false;
    }
}
