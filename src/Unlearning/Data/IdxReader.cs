using System.IO.Compression;

namespace Unlearning.Data;

/// <summary>An n-dimensional unsigned-byte array read from an IDX file (the MNIST / Fashion-MNIST format).</summary>
/// <param name="Shape">Dimension sizes, outermost first (e.g. [N, 28, 28] for images, [N] for labels).</param>
/// <param name="Data">Row-major payload; its length is the product of <paramref name="Shape"/>.</param>
public sealed record IdxArray(int[] Shape, byte[] Data)
{
    /// <summary>Number of items along the first dimension.</summary>
    public int Count => Shape[0];

    /// <summary>Elements per item (product of the trailing dimensions).</summary>
    public int ItemSize => Shape.Skip(1).Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// Reads IDX files, raw or gzip-compressed (detected by content, not by name). Only the unsigned-byte element
/// type (0x08), which every MNIST-family file uses, is supported. Every malformed input raises an
/// <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Reads the whole file at <paramref name="path"/>.</summary>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: IDX file not found", path);
        byte[] raw = File.ReadAllBytes(path);
        byte[] bytes = IsGzip(raw) ? Gunzip(raw, path) : raw;
        return Parse(bytes, path);
    }

    /// <summary>Parses an uncompressed IDX payload; <paramref name="source"/> names it in errors.</summary>
    public static IdxArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{source}: truncated IDX file ({bytes.Length} bytes, the header alone needs at least 4)");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{source}: wrong magic number 0x{bytes[0]:X2}{bytes[1]:X2}{bytes[2]:X2}{bytes[3]:X2} (an IDX file starts with 0x0000, then type and rank)");
        if (bytes[2] != UnsignedByte)
            throw new InvalidDataException($"{source}: unsupported IDX element type 0x{bytes[2]:X2} (only unsigned byte, 0x08, is supported)");
        int rank = bytes[3];
        if (rank < 1 || rank > 4)
            throw new InvalidDataException($"{source}: IDX rank {rank} is out of range 1..4");
        int headerSize = 4 + 4 * rank;
        if (bytes.Length < headerSize)
            throw new InvalidDataException($"{source}: truncated IDX header ({bytes.Length} bytes, rank {rank} needs {headerSize})");
        var shape = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++)
        {
            int o = 4 + 4 * d;
            long size = ((long)bytes[o] << 24) | ((long)bytes[o + 1] << 16) | ((long)bytes[o + 2] << 8) | bytes[o + 3];
            if (size <= 0 || size > int.MaxValue)
                throw new InvalidDataException($"{source}: IDX dimension {d} has invalid size {size}");
            shape[d] = (int)size;
            total *= size;
        }
        long available = bytes.Length - headerSize;
        if (available < total)
            throw new InvalidDataException($"{source}: truncated IDX data: header promises {total} bytes ({string.Join("x", shape)}), file holds {available}");
        if (available > total)
            throw new InvalidDataException($"{source}: {available - total} unexpected trailing bytes after the {string.Join("x", shape)} IDX payload");
        var data = new byte[total];
        Buffer.BlockCopy(bytes, headerSize, data, 0, (int)total);
        return new IdxArray(shape, data);
    }

    /// <summary>Serialises an array as an uncompressed IDX payload.</summary>
    public static byte[] Serialize(IdxArray array)
    {
        var header = new byte[4 + 4 * array.Shape.Length];
        header[2] = UnsignedByte;
        header[3] = (byte)array.Shape.Length;
        for (int d = 0; d < array.Shape.Length; d++)
        {
            int s = array.Shape[d];
            header[4 + 4 * d] = (byte)(s >> 24); header[5 + 4 * d] = (byte)(s >> 16);
            header[6 + 4 * d] = (byte)(s >> 8); header[7 + 4 * d] = (byte)s;
        }
        return [.. header, .. array.Data];
    }

    /// <summary>Writes <paramref name="array"/> gzip-compressed, atomically (temp file + rename).</summary>
    public static void WriteGzip(IdxArray array, string path)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.SmallestSize, leaveOpen: true))
            gz.Write(Serialize(array));
        AtomicFile.WriteAllBytes(path, ms.ToArray());
    }

    internal static bool IsGzip(byte[] raw) => raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;

    internal static byte[] Gunzip(byte[] raw, string source)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            // GZipStream returns what it could decode from a cut stream without complaint; the member trailer
            // (ISIZE = uncompressed length mod 2^32, the last four bytes) exposes the truncation.
            uint isize = raw.Length >= 18 ? BitConverter.ToUInt32(raw, raw.Length - 4) : 0;
            if (raw.Length < 18 || isize != (uint)output.Length)
                throw new InvalidDataException($"decompressed {output.Length} bytes but the gzip trailer records {isize}");
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"{source}: corrupt or truncated gzip stream ({e.Message})", e);
        }
    }
}
