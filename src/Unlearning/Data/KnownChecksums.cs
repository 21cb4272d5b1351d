namespace Unlearning.Data;

/// <summary>
/// Checksums of the official distributions. <see cref="GzipMd5"/> are the publishers' MD5 sums of the .gz files;
/// <see cref="PayloadSha256"/> are SHA-256 sums of the decompressed IDX payloads, which also identify files that
/// were re-compressed by a redistributor (Debian's dataset-fashion-mnist re-gzips the official files).
/// </summary>
public static class KnownChecksums
{
    /// <summary>MD5 of the official .gz files, keyed by "dataset/file".</summary>
    public static readonly IReadOnlyDictionary<string, string> GzipMd5 = new Dictionary<string, string>
    {
        ["mnist/train-images-idx3-ubyte.gz"] = "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        ["mnist/train-labels-idx1-ubyte.gz"] = "d53e105ee54ea40749a09fcbcd1e9432",
        ["mnist/t10k-images-idx3-ubyte.gz"] = "9fb629c4189551a2d022fa330f9573f3",
        ["mnist/t10k-labels-idx1-ubyte.gz"] = "ec29112dd5afa0611ce80d1b7f02629c",
        ["fashion-mnist/train-images-idx3-ubyte.gz"] = "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        ["fashion-mnist/train-labels-idx1-ubyte.gz"] = "25c81989df183df01b3e8a0aad5dffbe",
        ["fashion-mnist/t10k-images-idx3-ubyte.gz"] = "bef4ecab320f06d8554ea6380940ec79",
        ["fashion-mnist/t10k-labels-idx1-ubyte.gz"] = "bb300cfdad3c16e7a12a480ee83cd310",
        ["cifar-10/cifar-10-binary.tar.gz"] = Cifar10Reader.ArchiveMd5,
    };

    /// <summary>SHA-256 of the decompressed IDX payloads, keyed by "dataset/file-without-.gz".</summary>
    public static readonly IReadOnlyDictionary<string, string> PayloadSha256 = new Dictionary<string, string>
    {
        ["fashion-mnist/train-images-idx3-ubyte"] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ["fashion-mnist/train-labels-idx1-ubyte"] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ["fashion-mnist/t10k-images-idx3-ubyte"] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ["fashion-mnist/t10k-labels-idx1-ubyte"] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };
}
