using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Unlearning.Guard;

/// <summary>One accepted unlearning request as the log keeps it.</summary>
public sealed record LoggedRequest(long Sequence, string Requester, string[] Hashes, int[] Indices, string Unlearner);

/// <summary>
/// The append-only log of accepted unlearning requests. One record per line: the record's JSON, a tab, and the SHA-256 of
/// (previous line's digest ‖ JSON) — a hash chain that starts from the header line, which binds the log to one training
/// set. Each append is written in one call and flushed to disk (fsync) before the request counts as accepted.
/// On open the chain is verified: an altered, reordered or missing record is an error naming the file and line. Bytes after
/// the last newline are an append cut short by a crash (each record ends with its newline, written last, and the request
/// was not acknowledged before the flush): they are cut off — reported in <see cref="RecoveredTail"/>, never read as a record.
/// </summary>
public sealed class RequestLog
{
    private const string Magic = "#unlearning-request-log v1";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly List<LoggedRequest> _records;
    private string _lastDigest;

    private RequestLog(string path, string identity, List<LoggedRequest> records, string lastDigest, int recoveredBytes)
    {
        Path = path;
        Identity = identity;
        _records = records;
        _lastDigest = lastDigest;
        RecoveredTail = recoveredBytes;
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>What the log is bound to (e.g. dataset content hash and training-set hash).</summary>
    public string Identity { get; }

    /// <summary>The verified records, oldest first.</summary>
    public IReadOnlyList<LoggedRequest> Records => _records;

    /// <summary>Bytes of an incomplete last line cut off on open (0 when the log was intact).</summary>
    public int RecoveredTail { get; }

    /// <summary>Opens (or creates) the log at <paramref name="path"/>, bound to <paramref name="identity"/>.</summary>
    public static RequestLog Open(string path, string identity)
    {
        if (identity.Contains('\n') || identity.Contains('\t')) throw new ArgumentException("the identity must be one line without tabs", nameof(identity));
        string header = $"{Magic} {identity}";
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            Data.AtomicFile.WriteAllText(path, header + "\n");
            return new RequestLog(path, identity, [], Digest("", header), 0);
        }
        byte[] bytes = File.ReadAllBytes(path);
        int end = Array.LastIndexOf(bytes, (byte)'\n') + 1; // everything after the last newline is an incomplete append
        var lines = Encoding.UTF8.GetString(bytes, 0, end).Split('\n')[..^1];
        if (lines.Length == 0 || !lines[0].StartsWith(Magic + " ", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: not an unlearning-request log (the first line is not '{Magic} …')");
        if (lines[0] != header)
            throw new InvalidDataException($"{path}: the log belongs to '{lines[0][(Magic.Length + 1)..]}', not to '{identity}' (another dataset or training set)");
        string digest = Digest("", header);
        var records = new List<LoggedRequest>();
        int tail = bytes.Length - end;
        for (int n = 1; n < lines.Length; n++)
        {
            string line = lines[n];
            int tab = line.LastIndexOf('\t');
            LoggedRequest? record = null;
            string? problem = null;
            if (tab < 0) problem = "no checksum";
            else if (Digest(digest, line[..tab]) != line[(tab + 1)..]) problem = "checksum mismatch (altered, reordered or missing record)";
            else
            {
                try { record = JsonSerializer.Deserialize<LoggedRequest>(line[..tab], Json); }
                catch (JsonException e) { problem = $"unreadable record ({e.Message})"; }
                if (record != null && record.Sequence != records.Count + 1) problem = $"sequence {record.Sequence} where {records.Count + 1} was expected";
            }
            if (problem != null) throw new InvalidDataException($"{path}: line {n + 1}: {problem}");
            records.Add(record!);
            digest = line[(tab + 1)..];
        }
        if (tail > 0)
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                fs.SetLength(end);
                fs.Flush(flushToDisk: true);
            }
        return new RequestLog(path, identity, records, digest, tail);
    }

    /// <summary>Appends a record (its sequence must be the next one) and flushes it to disk before returning.</summary>
    public void Append(LoggedRequest record)
    {
        if (record.Sequence != _records.Count + 1) throw new ArgumentException($"sequence {record.Sequence} where {_records.Count + 1} is next", nameof(record));
        string json = JsonSerializer.Serialize(record, Json);
        string digest = Digest(_lastDigest, json);
        byte[] line = Encoding.UTF8.GetBytes($"{json}\t{digest}\n");
        using (var fs = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.None))
        {
            fs.Write(line);
            fs.Flush(flushToDisk: true);
        }
        _records.Add(record);
        _lastDigest = digest;
    }

    private static string Digest(string previous, string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + "\n" + content)));
}
