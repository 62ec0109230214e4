using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Tests.TorrentClients;

public sealed class PeerTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\r\nforged line", "a\\u000D\\u000Aforged line")]
    [InlineData("\u001b[31mred", "\\u001B[31mred")]
    [InlineData("tab\there", "tab\\u0009here")]
    [InlineData(null, "")]
    public void Clean_ControlCharacters_Escaped(string? text, string expected) => Assert.Equal(expected, PeerText.Clean(text));

    [Fact]
    public void Clean_LongText_CappedAndSaysHowLong()
    {
        var cleaned = PeerText.Clean(new string('x', 10_000));

        Assert.StartsWith(new string('x', PeerText.MaxLength), cleaned, StringComparison.Ordinal);
        Assert.EndsWith("… (10000 characters)", cleaned, StringComparison.Ordinal);
        Assert.True(cleaned.Length < PeerText.MaxLength + 30);
    }
}
