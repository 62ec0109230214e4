namespace ProtonPortSync.Recovery;

/// <summary>Keeps the last few lines a child printed, each cut to a sane length, for an error message.</summary>
internal sealed class TailBuffer(int capacity)
{
    private const int MaxLineLength = 300;
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line.Length <= MaxLineLength ? line : string.Concat(line.AsSpan(0, MaxLineLength), "…"));
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return _lines.Count == 0 ? "(empty)" : string.Join(" | ", _lines);
        }
    }
}
