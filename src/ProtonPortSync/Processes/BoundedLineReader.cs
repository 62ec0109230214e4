using System.Text;

namespace ProtonPortSync.Processes;

/// <summary>
/// Reads a child's output line by line without trusting it: each line is cut to <see cref="MaxLineLength"/>
/// characters with control characters escaped, and at most <see cref="MaxLines"/> lines are passed on; the rest is
/// read and dropped so the child never blocks on a full pipe.
/// </summary>
internal static class BoundedLineReader
{
    public const int MaxLineLength = 200;
    public const int MaxLines = 50;

    public static async Task ReadAsync(TextReader reader, Action<string> line, CancellationToken cancellationToken)
    {
        var buffer = new char[1024];
        var current = new StringBuilder(MaxLineLength);
        var cut = false;
        var passed = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
        {
            foreach (var c in buffer.AsSpan(0, read))
            {
                if (c == '\n')
                {
                    Emit();
                    continue;
                }

                if (current.Length < MaxLineLength)
                {
                    AppendSafe(current, c);
                }
                else
                {
                    cut = true;
                }
            }
        }

        if (current.Length > 0)
        {
            Emit();
        }

        void Emit()
        {
            if (passed < MaxLines && current.Length > 0)
            {
                line(cut ? current.Append('…').ToString() : current.ToString());
                passed++;
            }

            current.Clear();
            cut = false;
        }
    }

    private static void AppendSafe(StringBuilder builder, char c)
    {
        if (c == '\r')
        {
            return;
        }

        if (char.IsControl(c))
        {
            builder.Append(c == '\t' ? "\\t" : $"\\x{(int)c:x2}");
            return;
        }

        builder.Append(c);
    }
}
