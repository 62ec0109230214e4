using System.Globalization;
using System.Text;
using CsCheck;

namespace ProtonPortSync.Tests.Fuzz;

/// <summary>
/// Generators of hostile JSON for the adapters' parsers: random documents that use the field names the adapters
/// read (with wrong types, huge and negative numbers, control characters), and mutations of valid answers
/// (truncated, a character replaced or inserted).
/// </summary>
internal static class JsonGen
{
    private static readonly string[] Keys =
    [
        "listen_port", "upnp", "random_port", "result", "arguments", "peer-port", "port-forwarding-enabled",
        "peer-port-random-on-start", "error", "message", "code", "id", "x",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "1023", "1024", "40010", "65535", "65536", "70000", "2147483647", "2147483648", "-2147483649",
        "99999999999999999999999", "1e400", "-0", "1.5", "4e4", "0x10", "NaN", "Infinity", "00040010",
    ];

    private static readonly string[] Strings = ["\"\"", "\"success\"", "\"40010\"", "\"Ok.\"", "\"\\u001b[31mred\\r\\nforged\"", "\"\\ud800\"", "\"" + new string('a', 300) + "\""];

    public static readonly Gen<string> Scalar = Gen.OneOf<string>(
        Gen.OneOf(Numbers),
        Gen.OneOf(Strings),
        Gen.OneOf("true", "false", "null"),
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    public static readonly Gen<string> Document = Value(3);

    /// <summary>A valid answer cut short, or with one character replaced or inserted.</summary>
    public static Gen<string> Mutations(params string[] valid)
        => Gen.Select(Gen.OneOf(valid), Gen.Int[0, 2], Gen.Int[0, 10_000], Gen.Char[(char)0, (char)127], (text, op, at, c) =>
        {
            var position = at % (text.Length + 1);
            return op switch
            {
                0 => text[..position],
                1 when position < text.Length => string.Concat(text.AsSpan(0, position), c.ToString(), text.AsSpan(position + 1)),
                _ => text.Insert(position, c.ToString()),
            };
        });

    private static Gen<string> Value(int depth)
        => depth == 0
            ? Scalar
            : Gen.Frequency(
                (3, Scalar),
                (2, Gen.Select(Gen.OneOf(Keys), Value(depth - 1)).Array[0, 5].Select(Object)),
                (1, Value(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")));

    private static string Object((string Key, string Value)[] members)
    {
        var builder = new StringBuilder("{");
        for (var i = 0; i < members.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append('"').Append(members[i].Key).Append("\":").Append(members[i].Value);
        }

        return builder.Append('}').ToString();
    }
}
