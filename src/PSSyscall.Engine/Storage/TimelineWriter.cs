using System.Reflection;
using System.Text;
using System.Text.Json;

namespace PSSyscall.Engine.Storage;

/// <summary>
/// Writes a trace as one self-contained HTML page (Timeline.html, embedded in this assembly): one
/// lane per thread, lanes in process-tree order, each call a span coloured by its class, signals and
/// exits as marks. The events are kept in a compact form while they are added (a few numbers and the
/// call's text), and written as JSON inside the page, which draws them as SVG with no network access.
/// </summary>
public sealed class TimelineWriter
{
    /// <summary>Arguments longer than this are cut in the page (the hover shows them; the file stays small).</summary>
    private const int ArgumentLimit = 240;

    /// <summary>Colour classes, in the order a call with several classes takes its colour from.</summary>
    private static readonly (SyscallClass Class, string Name, string Colour)[] Classes =
    [
        (SyscallClass.Process, "Process", "#f28e2b"),
        (SyscallClass.Network, "Network", "#e15759"),
        (SyscallClass.Ipc, "IPC", "#edc948"),
        (SyscallClass.Signal, "Signal", "#b07aa1"),
        (SyscallClass.Memory, "Memory", "#76b7b2"),
        (SyscallClass.File, "File", "#4e79a7"),
        (SyscallClass.Desc, "Descriptor", "#59a14f"),
        (SyscallClass.Creds, "Credentials", "#ff9da7"),
        (SyscallClass.Clock, "Clock", "#9c755f"),
        (SyscallClass.Stat | SyscallClass.LStat | SyscallClass.FStat | SyscallClass.StatFs, "Stat", "#8cd17d"),
        (SyscallClass.None, "Other", "#a0a0a0"),
    ];

    private readonly ProcessTreeBuilder _tree = new();
    private readonly Dictionary<(int Pid, int Tid), int> _laneOf = new();
    private readonly List<(int Pid, int Tid)> _lanes = new();
    private readonly List<Span> _spans = new();
    private readonly List<Mark> _marks = new();
    private DateTime _start = DateTime.MaxValue;
    private DateTime _end = DateTime.MinValue;

    private readonly record struct Span(int Lane, DateTime Start, TimeSpan Duration, int Class, string Name, string Result, string Arguments);

    private readonly record struct Mark(int Lane, DateTime Time, bool Exit, string Text);

    /// <summary>Events added so far.</summary>
    public long Count { get; private set; }

    public void Add(TraceEvent e)
    {
        Count++;
        _tree.Add(e);
        if (!_laneOf.TryGetValue((e.ProcessId, e.ThreadId), out int lane))
        {
            lane = _lanes.Count;
            _laneOf[(e.ProcessId, e.ThreadId)] = lane;
            _lanes.Add((e.ProcessId, e.ThreadId));
        }
        DateTime end = e.Timestamp;
        switch (e)
        {
            case SyscallEvent call:
                string arguments = call.Arguments;
                if (arguments.Length > ArgumentLimit)
                    arguments = arguments[..ArgumentLimit] + "…";
                _spans.Add(new Span(lane, call.Timestamp, call.Duration, ColourClass(call.Class), call.Name,
                    call.Injected ? call.Result + " (INJECTED)" : call.Result, arguments));
                end += call.Duration;
                break;
            case SignalEvent signal:
                _marks.Add(new Mark(lane, signal.Timestamp, false, $"--- {signal.Signal} {{si_code={signal.Code}, si_pid={signal.SenderProcessId}}} ---"));
                break;
            case ProcessExitEvent exit:
                _marks.Add(new Mark(lane, exit.Timestamp, true, exit.Signal is null ? $"+++ exited with {exit.ExitCode ?? 0} +++" : $"+++ killed by {exit.Signal} +++"));
                break;
        }
        if (e.Timestamp < _start)
            _start = e.Timestamp;
        if (end > _end)
            _end = end;
    }

    private static int ColourClass(SyscallClass c)
    {
        for (int i = 0; i < Classes.Length - 1; i++)
            if ((c & Classes[i].Class) != 0)
                return i;
        return Classes.Length - 1;
    }

    /// <summary>Writes the page.</summary>
    public void Write(Stream output, string title)
    {
        string template = ReadTemplate();
        int data = template.IndexOf("__DATA__", StringComparison.Ordinal);
        int titleAt = template.IndexOf("__TITLE__", StringComparison.Ordinal);
        if (data < 0 || titleAt < 0 || titleAt > data)
            throw new InvalidOperationException("The timeline template is damaged.");
        using var text = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        text.Write(template.AsSpan(0, titleAt));
        text.Write(System.Net.WebUtility.HtmlEncode(title));
        text.Write(template.AsSpan(titleAt + "__TITLE__".Length, data - titleAt - "__TITLE__".Length));
        text.Flush();
        // The default encoder escapes <, > and &, so no "</script>" can appear inside the JSON.
        using (var json = new Utf8JsonWriter(output))
            WriteData(json, title);
        output.Flush();
        text.Write(template.AsSpan(data + "__DATA__".Length));
        text.Flush();
    }

    private void WriteData(Utf8JsonWriter json, string title)
    {
        DateTime origin = _start == DateTime.MaxValue ? DateTime.MinValue : _start;
        long Micro(DateTime t) => (t - origin).Ticks / 10;

        // Lanes in process-tree order; a process's main thread first, then its other threads.
        IReadOnlyList<ProcessTreeNode> processes = _tree.Build();
        var order = new List<(int Lane, int Depth, string Label)>();
        foreach (ProcessTreeNode p in processes)
        {
            string name = p.ProcessName.Length > 0 ? p.ProcessName : "?";
            foreach (int lane in Enumerable.Range(0, _lanes.Count).Where(l => _lanes[l].Pid == p.ProcessId)
                         .OrderBy(l => _lanes[l].Tid == p.ProcessId ? 0 : 1).ThenBy(l => _lanes[l].Tid))
            {
                (int pid, int tid) = _lanes[lane];
                order.Add(tid == pid
                    ? (lane, p.Depth, $"{name} {pid}")
                    : (lane, p.Depth + 1, $"thread {tid}"));
            }
        }
        var position = new int[_lanes.Count];
        for (int i = 0; i < order.Count; i++)
            position[order[i].Lane] = i;

        json.WriteStartObject();
        json.WriteString("title", title);
        json.WriteString("start", origin.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteNumber("duration", _end > origin ? Micro(_end) : 0);
        json.WriteNumber("processes", processes.Count);
        json.WriteStartArray("classes");
        foreach (var c in Classes)
            json.WriteStringValue(c.Name);
        json.WriteEndArray();
        json.WriteStartArray("colours");
        foreach (var c in Classes)
            json.WriteStringValue(c.Colour);
        json.WriteEndArray();
        json.WriteStartArray("lanes");
        foreach ((int lane, int depth, string label) in order)
        {
            json.WriteStartObject();
            json.WriteNumber("pid", _lanes[lane].Pid);
            json.WriteNumber("tid", _lanes[lane].Tid);
            json.WriteNumber("depth", depth);
            json.WriteString("label", label);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("spans");
        foreach (Span s in _spans)
        {
            json.WriteStartArray();
            json.WriteNumberValue(position[s.Lane]);
            json.WriteNumberValue(Micro(s.Start));
            json.WriteNumberValue(s.Duration.Ticks / 10);
            json.WriteNumberValue(s.Class);
            json.WriteStringValue(s.Name);
            json.WriteStringValue(s.Result);
            json.WriteStringValue(s.Arguments);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteStartArray("marks");
        foreach (Mark m in _marks)
        {
            json.WriteStartArray();
            json.WriteNumberValue(position[m.Lane]);
            json.WriteNumberValue(Micro(m.Time));
            json.WriteNumberValue(m.Exit ? 1 : 0);
            json.WriteStringValue(m.Text);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string ReadTemplate()
    {
        using Stream? stream = typeof(TimelineWriter).Assembly.GetManifestResourceStream("PSSyscall.Timeline.html");
        if (stream is null)
            throw new InvalidOperationException("The timeline template is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
