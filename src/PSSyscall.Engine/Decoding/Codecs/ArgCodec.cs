using System.Text;
using PSSyscall.Engine.Syscalls;
using PSSyscall.Engine.Tracing;

namespace PSSyscall.Engine.Decoding.Codecs;

/// <summary>Which way an argument's memory flows: what the signature says, not a second kind.</summary>
public enum Direction : byte
{
    /// <summary>Read by the call: captured and shown at entry.</summary>
    In,
    /// <summary>Written by the call: captured at exit, shown only when the call succeeded.</summary>
    Out,
}

/// <summary>
/// One argument kind: what to capture (<see cref="Plan"/>, data) and how to print it. A codec for a
/// pointer to memory prints from its captured bytes; the driver (<see cref="Print"/>) holds strace's
/// common rules once: NULL, an unreadable address, and outputs that are valid only after success.
/// </summary>
internal abstract class ArgCodec
{
    /// <summary>What the tracer copies for this argument. <see cref="CapturePlan.None"/> for values
    /// printed from the register alone.</summary>
    public virtual CapturePlan Plan => CapturePlan.None;

    /// <summary>What to copy at the entry stop (by default <see cref="Plan"/> when it reads at entry).</summary>
    public virtual CapturePlan EntryPlan => Plan.When is CaptureWhen.Entry or CaptureWhen.EntryAndExit ? Plan : CapturePlan.None;

    /// <summary>What to copy at the exit stop (by default <see cref="Plan"/> when it reads at exit).
    /// A plan whose When is not ExitAny is skipped when the call failed.</summary>
    public virtual CapturePlan ExitPlan => Plan.When is CaptureWhen.Exit or CaptureWhen.ExitAny or CaptureWhen.EntryAndExit ? Plan : CapturePlan.None;

    /// <summary>The argument's role for what is not printing (the event's Path and Fd, -P matching,
    /// fault paths): <see cref="ArgKind.Path"/>, <see cref="ArgKind.Fd"/>, <see cref="ArgKind.DirFd"/>,
    /// else <see cref="ArgKind.Codec"/>.</summary>
    public virtual ArgKind Role => ArgKind.Codec;

    /// <summary>The argument's C type when the signature does not name one.</summary>
    public virtual CType DefaultType => Plan.When == CaptureWhen.Never ? CType.Int : CType.Pointer;

    /// <summary>Prints argument <paramref name="i"/>; false when strace leaves it out.</summary>
    public virtual bool Print(ref DecodeContext c, int i, StringBuilder sb)
    {
        ulong v = c.Args[i];
        CapturePlan plan = Plan;
        if (!Shown(ref c, i))
            return false;
        if (plan.When == CaptureWhen.Never)
        {
            if (ConstantNumber is not { } number)
                return PrintValue(ref c, i, v, sb);
            // -X raw/verbose: the number, and the names in a comment
            int mark = ConstantPartsStyled ? DecodeStyle.BeginKeepingParts(sb) : DecodeStyle.Begin(sb);
            bool shown = PrintValue(ref c, i, v, sb);
            DecodeStyle.End(sb, mark, number == DecodeStyle.Number.Decimal ? (ulong)(long)(int)v : v, number, keptParts: ConstantPartsStyled);
            return shown;
        }
        if (v == 0)
        {
            sb.Append("NULL");
            return true;
        }
        bool exitValid = !c.Failed && !c.Unfinished;
        // In-place structures show what the call wrote back when it succeeded, else what it was given.
        bool atEntry = plan.When == CaptureWhen.Entry || (plan.When == CaptureWhen.EntryAndExit && !exitValid);
        int slot = atEntry ? CaptureSlot.Entry(i) : CaptureSlot.Exit(i);
        if ((plan.When == CaptureWhen.Exit && !exitValid) || (plan.When == CaptureWhen.ExitAny && c.Unfinished) || !c.Data.TryGet(slot, out ReadOnlySpan<byte> bytes, out CaptureStatus st)
            || st == CaptureStatus.Fault
            // Memory read short is shown as its address, as strace does when it cannot read the whole
            // (for a string, Truncated means only that no NUL came within the limit).
            || (st == CaptureStatus.Truncated && plan.Length != CaptureLength.CString && !ShortReadMayDo)
            || !PrintMemory(ref c, i, bytes, st, sb))
        {
            StraceText.Pointer(sb, v);
        }
        return true;
    }

    /// <summary>A successful result's meaning, which strace shows in parentheses after it.</summary>
    public virtual void PrintResult(ref DecodeContext c, long ret, StringBuilder sb)
    {
        if (ConstantNumber is not null && DecodeStyle.Constants == ConstantStyle.Raw)
            return; // -X raw: the number alone

        int mark = sb.Length;
        sb.Append(" (");
        if (PrintValue(ref c, -1, (ulong)ret, sb))
            sb.Append(')');
        else
            sb.Length = mark; // nothing to add for this result
    }

    /// <summary>True when, with this argument's value, a call that normally returns a descriptor
    /// returns something else (landlock_create_ruleset's ABI version): no annotation then.</summary>
    public virtual bool ResultIsNotDescriptor(ulong value) => false;

    /// <summary>False when strace leaves this argument out for these registers (syslog's buffer
    /// for actions that take none).</summary>
    public virtual bool Shown(ref DecodeContext c, int i) => true;

    /// <summary>A value printed from its register (numbers, flags, enums); <paramref name="i"/> is
    /// -1 for a result.</summary>
    protected virtual bool PrintValue(ref DecodeContext c, int i, ulong v, StringBuilder sb)
    {
        StraceText.Hex(sb, v);
        return true;
    }

    /// <summary>For a named constant printed by parts (QCMD(...), IOPRIO_PRIO_VALUE(...), MPOL_*|flags):
    /// how -X raw and verbose write its number; null for values that are not named constants.</summary>
    protected virtual DecodeStyle.Number? ConstantNumber => null;

    /// <summary>True when the parts of the constant keep the trace's style inside the comment.</summary>
    protected virtual bool ConstantPartsStyled => false;

    /// <summary>True when a short read may still hold all that is shown (PrintMemory checks it).</summary>
    protected virtual bool ShortReadMayDo => false;

    /// <summary>Memory the plan captured; false to show the address instead (too short, say).</summary>
    protected virtual bool PrintMemory(ref DecodeContext c, int i, ReadOnlySpan<byte> bytes, CaptureStatus status, StringBuilder sb) => false;
}
