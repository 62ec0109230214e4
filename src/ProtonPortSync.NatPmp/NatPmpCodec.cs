using System.Buffers.Binary;
using System.Net;

namespace ProtonPortSync.NatPmp;

/// <summary>
/// The RFC 6886 wire format as pure functions over spans: no sockets, clock or logging.
/// </summary>
public static class NatPmpCodec
{
    /// <summary>The only version this protocol defines (§3.2, §3.3).</summary>
    public const byte Version = 0;

    /// <summary>The gateway listens on UDP port 5351 (§3.1).</summary>
    public const int ServerPort = 5351;

    /// <summary>A response's opcode is the request's plus 128 (§3.2).</summary>
    public const byte ResponseOpcodeOffset = 128;

    public const int PublicAddressRequestLength = 2;
    public const int MapRequestLength = 12;
    public const int PublicAddressResponseLength = 12;
    public const int MapResponseLength = 16;

    /// <summary>
    /// An error reply may be cut to the common header (version, opcode, result, epoch): miniupnpd answers
    /// an unsupported opcode that way.
    /// </summary>
    public const int ErrorResponseLength = 8;

    /// <summary>The largest datagram we accept into a receive buffer; anything longer is malformed.</summary>
    public const int MaxResponseLength = 1100;

    /// <summary>Writes the 2-byte public address request of §3.2. Returns the bytes written.</summary>
    public static int WritePublicAddressRequest(Span<byte> destination)
    {
        destination[..PublicAddressRequestLength].Clear();
        destination[0] = Version;
        destination[1] = (byte)NatPmpOpcode.PublicAddress;
        return PublicAddressRequestLength;
    }

    /// <summary>
    /// Writes the 12-byte mapping request of §3.3. A lifetime of 0 (with suggested port 0) deletes the mapping
    /// (§3.4).
    /// </summary>
    public static int WriteMapRequest(Span<byte> destination, NatPmpProtocol protocol, ushort internalPort, ushort suggestedExternalPort, uint lifetimeSeconds)
    {
        var packet = destination[..MapRequestLength];
        packet[0] = Version;
        packet[1] = (byte)protocol;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], 0); // Reserved: MUST be set to 0 (§3.3).
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], internalPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet[6..], suggestedExternalPort);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], lifetimeSeconds);
        return MapRequestLength;
    }

    /// <summary>
    /// Reads the header common to all responses: version 0, opcode = request opcode + 128, result code,
    /// seconds since start of epoch. Returns false when the datagram is not a version 0 response to
    /// <paramref name="requestOpcode"/> or is shorter than a header.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, NatPmpOpcode requestOpcode, out NatPmpResponseHeader header)
    {
        header = default;
        if (datagram.Length < ErrorResponseLength
            || datagram[0] != Version
            || datagram[1] != (byte)(ResponseOpcodeOffset + (byte)requestOpcode))
        {
            return false;
        }

        header = new NatPmpResponseHeader(
            requestOpcode,
            (NatPmpResultCode)BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]));
        return true;
    }

    /// <summary>
    /// Reads a public address response (§3.2). On success the datagram must be exactly 12 bytes; an error reply
    /// may be 8 or 12 bytes (the address is then meaningless and is returned as <see cref="IPAddress.Any"/>).
    /// </summary>
    public static bool TryReadPublicAddressResponse(ReadOnlySpan<byte> datagram, out NatPmpResponseHeader header, out IPAddress address)
    {
        address = IPAddress.Any;
        if (!TryReadHeader(datagram, NatPmpOpcode.PublicAddress, out header))
        {
            return false;
        }

        if (header.ResultCode != NatPmpResultCode.Success)
        {
            return datagram.Length is ErrorResponseLength or PublicAddressResponseLength;
        }

        if (datagram.Length != PublicAddressResponseLength)
        {
            return false;
        }

        address = new IPAddress(datagram[8..12]);
        return true;
    }

    /// <summary>
    /// Reads a mapping response (§3.3). On success the datagram must be exactly 16 bytes; an error reply may be
    /// 8 or 16 bytes (ports and lifetime of an 8-byte reply are returned as 0).
    /// </summary>
    public static bool TryReadMapResponse(ReadOnlySpan<byte> datagram, NatPmpProtocol protocol, out NatPmpResponseHeader header, out NatPmpMapFields fields)
    {
        fields = default;
        if (!TryReadHeader(datagram, (NatPmpOpcode)protocol, out header))
        {
            return false;
        }

        if (datagram.Length == ErrorResponseLength)
        {
            return header.ResultCode != NatPmpResultCode.Success;
        }

        if (datagram.Length != MapResponseLength)
        {
            return false;
        }

        fields = new NatPmpMapFields(
            BinaryPrimitives.ReadUInt16BigEndian(datagram[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]));
        return true;
    }

    /// <summary>Writes a 12-byte public address response; used by test doubles and the demo gateway.</summary>
    public static int WritePublicAddressResponse(Span<byte> destination, NatPmpResultCode resultCode, uint secondsSinceEpoch, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        WriteHeader(destination, NatPmpOpcode.PublicAddress, resultCode, secondsSinceEpoch);
        if (!address.TryWriteBytes(destination[8..12], out var written) || written != 4)
        {
            throw new ArgumentException("NAT-PMP carries IPv4 addresses only.", nameof(address));
        }

        return PublicAddressResponseLength;
    }

    /// <summary>Writes a 16-byte mapping response; used by test doubles and the demo gateway.</summary>
    public static int WriteMapResponse(Span<byte> destination, NatPmpProtocol protocol, NatPmpResultCode resultCode, uint secondsSinceEpoch, NatPmpMapFields fields)
    {
        WriteHeader(destination, (NatPmpOpcode)protocol, resultCode, secondsSinceEpoch);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], fields.InternalPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], fields.ExternalPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], fields.LifetimeSeconds);
        return MapResponseLength;
    }

    /// <summary>Writes the 8-byte common header alone, the short form of an error reply.</summary>
    public static int WriteHeader(Span<byte> destination, NatPmpOpcode requestOpcode, NatPmpResultCode resultCode, uint secondsSinceEpoch)
    {
        destination[0] = Version;
        destination[1] = (byte)(ResponseOpcodeOffset + (byte)requestOpcode);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)resultCode);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], secondsSinceEpoch);
        return ErrorResponseLength;
    }

    /// <summary>Reads a mapping request (§3.3); used by test doubles and the demo gateway.</summary>
    public static bool TryReadMapRequest(ReadOnlySpan<byte> datagram, out NatPmpProtocol protocol, out NatPmpMapFields fields)
    {
        protocol = default;
        fields = default;
        if (datagram.Length != MapRequestLength || datagram[0] != Version
            || datagram[1] is not ((byte)NatPmpOpcode.MapUdp or (byte)NatPmpOpcode.MapTcp))
        {
            return false;
        }

        protocol = (NatPmpProtocol)datagram[1];
        fields = new NatPmpMapFields(
            BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]));
        return true;
    }
}

/// <summary>The header common to every NAT-PMP response (§3.2, §3.3).</summary>
public readonly record struct NatPmpResponseHeader(NatPmpOpcode RequestOpcode, NatPmpResultCode ResultCode, uint SecondsSinceEpoch);

/// <summary>
/// The port fields of a mapping request or response (§3.3). In a request the second is the suggested external
/// port; in a response it is the mapped one.
/// </summary>
public readonly record struct NatPmpMapFields(ushort InternalPort, ushort ExternalPort, uint LifetimeSeconds);
