using System.Management.Automation.Host;

namespace PSSyscall.Shell;

/// <summary>The console's geometry as formatting needs it. A redirected console is treated as 120
/// columns wide, like pwsh, so tables are not cut to a phantom width.</summary>
internal sealed class ShellRawUserInterface : PSHostRawUserInterface
{
    private static int Width
    {
        get
        {
            try
            {
                return Console.IsOutputRedirected || Console.WindowWidth <= 0 ? 120 : Console.WindowWidth;
            }
            catch (IOException)
            {
                return 120;
            }
        }
    }

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get => new(Width, 9999); set { } }
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; } = 25;
    public override bool KeyAvailable => false;
    public override Size MaxPhysicalWindowSize => new(Width, 100);
    public override Size MaxWindowSize => new(Width, 100);
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get => new(Width, 50); set { } }
    public override string WindowTitle { get; set; } = "pssyscall";

    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("Reading keys is not supported by this host.");
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
}
