namespace ProtonPortSync.Tests.Demo;

/// <summary>A Random whose port choices are given in advance, so replies can be written as literal bytes.</summary>
internal sealed class ScriptedRandom(params int[] values) : Random
{
    private int _next;

    public override int Next(int minValue, int maxValue)
    {
        var value = values[_next++ % values.Length];
        Assert.InRange(value, minValue, maxValue - 1);
        return value;
    }
}
