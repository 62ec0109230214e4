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
    [InlineData("", "")]
    [InlineData("a\u2028b\u2029c", "a\\u2028b\\u2029c")] // line and paragraph separators end a line in some viewers
    [InlineData("\u0085next", "\\u0085next")] // NEL, a C1 control
    [InlineData("port\u00a0é ✓", "port\u00a0é ✓")] // printable non-ASCII is kept as it is
    public void Clean_ControlCharacters_Escaped(string? text, string expected) => Assert.Equal(expected, PeerText.Clean(text));

    [Fact]
    public void Clean_LoneSurrogate_EscapedSoTheLineStaysValidText()
        => Assert.Equal("x\\uD800y", PeerText.Clean("x\uD800y"));

    [Fact]
    public void Clean_LongText_CappedAndSaysHowLong()
    {
        var cleaned = PeerText.Clean(new string('x', 10_000));

        Assert.StartsWith(new string('x', PeerText.MaxLength), cleaned, StringComparison.Ordinal);
        Assert.EndsWith("… (10000 characters)", cleaned, StringComparison.Ordinal);
        Assert.True(cleaned.Length < PeerText.MaxLength + 30);
    }

    [Fact]
    public void Clean_ExactlyMaxLength_KeptWhole()
    {
        var text = new string('x', PeerText.MaxLength);

        Assert.Equal(text, PeerText.Clean(text));
    }

    [Fact]
    public void Clean_OneOverMaxLength_ExactlyMaxLengthShownThenTheTotal()
        => Assert.Equal(new string('x', PeerText.MaxLength) + "… (201 characters)", PeerText.Clean(new string('x', PeerText.MaxLength + 1)));

    [Fact]
    public void Clean_EscapesNearTheCap_CountedAsOneCharacterEach()
    {
        // An escape is six characters in the log line but one character of peer text: the cap counts peer text.
        var cleaned = PeerText.Clean(new string('\n', PeerText.MaxLength + 5));

        Assert.Equal(string.Concat(Enumerable.Repeat("\\u000A", PeerText.MaxLength)) + "… (205 characters)", cleaned);
    }
}
