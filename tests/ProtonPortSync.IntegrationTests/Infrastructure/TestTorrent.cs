using System.Security.Cryptography;
using System.Text;

namespace ProtonPortSync.IntegrationTests.Infrastructure;

/// <summary>
/// A one-file, one-piece .torrent made in the test (bencoded by hand), so a real client has a torrent to reannounce.
/// Its tracker is 127.0.0.1:1, inside the client's own namespace: nothing leaves it.
/// </summary>
internal static class TestTorrent
{
    private const int PieceLength = 16384;

    public static byte[] Create(string name = "pps-test.bin")
    {
#pragma warning disable CA5350 // BitTorrent v1 piece hashes are SHA-1 by definition (BEP 3); nothing here is a security use.
        var pieces = SHA1.HashData(new byte[PieceLength]);
#pragma warning restore CA5350
        using var torrent = new MemoryStream();
        void Write(string text) => torrent.Write(Encoding.ASCII.GetBytes(text));
        void String(string text) => Write($"{Encoding.UTF8.GetByteCount(text)}:{text}");

        Write("d");
        String("announce");
        String("http://127.0.0.1:1/announce");
        String("info");
        Write("d");
        String("length");
        Write($"i{PieceLength}e");
        String("name");
        String(name);
        String("piece length");
        Write($"i{PieceLength}e");
        String("pieces");
        Write($"{pieces.Length}:");
        torrent.Write(pieces);
        Write("ee");
        return torrent.ToArray();
    }
}
