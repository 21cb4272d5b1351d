#nullable enable
// The libstdc++ compatibility step for TorchSharp's native bridge on older Linux distributions.
//
// libLibTorchSharp.so (TorchSharp 0.107.0) records a version need on GLIBCXX_3.4.32, a version that
// GCC 13's libstdc++ introduced for a single symbol (_ZSt21ios_base_library_initv, an iostream-init
// marker that nothing relocates against). Debian 12 ships GLIBCXX_3.4.30, so the dynamic loader refuses
// the library. Marking that one version need VER_FLG_WEAK (0x2) in .gnu.version_r makes glibc treat its
// absence as non-fatal; every other symbol still binds normally.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (the build step, see
// TorchSharp.Native.targets) and into the test project (REPRO_ELF_NO_TASK), which checks the ELF walk.
using System;
using System.IO;
using System.Text;

namespace Reproduce.Build
{
    /// <summary>Outcome of <see cref="ElfVersionNeeds.MarkWeak"/>.</summary>
    public enum WeakPatchResult { Patched, AlreadyWeak, VersionNotNeeded }

    /// <summary>Walks Elf64_Verneed / Elf64_Vernaux in the .gnu.version_r section of a little-endian ELF64 file.</summary>
    public static class ElfVersionNeeds
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>True when the bytes contain the ASCII version name, e.g. a libstdc++ that defines GLIBCXX_3.4.32.</summary>
        public static bool ContainsAscii(byte[] haystack, string needle)
        {
            byte[] n = Encoding.ASCII.GetBytes(needle + "\0");
            for (int i = 0; i + n.Length <= haystack.Length; i++)
            {
                int k = 0;
                while (k < n.Length && haystack[i + k] == n[k]) k++;
                if (k == n.Length) return true;
            }
            return false;
        }

        /// <summary>Sets VER_FLG_WEAK on the vernaux entry named <paramref name="version"/>; edits <paramref name="elf"/> in place.</summary>
        public static WeakPatchResult MarkWeak(byte[] elf, string version, string fileNameForErrors)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException(fileNameForErrors + ": not an ELF file (bad magic)");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException(fileNameForErrors + ": only little-endian ELF64 is supported");

            ulong shoff = U64(elf, 0x28, fileNameForErrors);
            int shentsize = U16(elf, 0x3A, fileNameForErrors);
            int shnum = U16(elf, 0x3C, fileNameForErrors);
            if (shentsize < 64) throw new InvalidDataException(fileNameForErrors + ": section header entry size " + shentsize + " < 64");

            for (int i = 0; i < shnum; i++)
            {
                long sh = checked((long)shoff + (long)i * shentsize);
                if (U32(elf, sh + 4, fileNameForErrors) != ShtGnuVerneed) continue;
                long secOff = (long)U64(elf, sh + 0x18, fileNameForErrors);
                int strIndex = (int)U32(elf, sh + 0x28, fileNameForErrors);
                uint verneedCount = U32(elf, sh + 0x2C, fileNameForErrors);
                long strSh = checked((long)shoff + (long)strIndex * shentsize);
                long strOff = (long)U64(elf, strSh + 0x18, fileNameForErrors);

                long vn = secOff;
                for (uint v = 0; v < verneedCount; v++)
                {
                    int auxCount = U16(elf, vn + 2, fileNameForErrors);
                    long aux = vn + U32(elf, vn + 8, fileNameForErrors);
                    for (int a = 0; a < auxCount; a++)
                    {
                        long nameOff = strOff + U32(elf, aux + 8, fileNameForErrors);
                        if (CStringEquals(elf, nameOff, version))
                        {
                            ushort flags = (ushort)U16(elf, aux + 4, fileNameForErrors);
                            if ((flags & VerFlgWeak) != 0) return WeakPatchResult.AlreadyWeak;
                            flags |= VerFlgWeak;
                            elf[aux + 4] = (byte)(flags & 0xff);
                            elf[aux + 5] = (byte)(flags >> 8);
                            return WeakPatchResult.Patched;
                        }
                        uint next = U32(elf, aux + 12, fileNameForErrors);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint vnNext = U32(elf, vn + 12, fileNameForErrors);
                    if (vnNext == 0) break;
                    vn += vnNext;
                }
            }
            return WeakPatchResult.VersionNotNeeded;
        }

        private static bool CStringEquals(byte[] b, long off, string s)
        {
            if (off < 0 || off + s.Length >= b.Length) return false;
            for (int i = 0; i < s.Length; i++) if (b[off + i] != (byte)s[i]) return false;
            return b[off + s.Length] == 0;
        }

        private static void Check(byte[] b, long off, int size, string file)
        {
            if (off < 0 || off + size > b.Length)
                throw new InvalidDataException(file + ": truncated ELF (offset " + off + " beyond " + b.Length + " bytes)");
        }
        private static int U16(byte[] b, long o, string f) { Check(b, o, 2, f); return b[o] | (b[o + 1] << 8); }
        private static uint U32(byte[] b, long o, string f) { Check(b, o, 4, f); return BitConverter.ToUInt32(b, (int)o); }
        private static ulong U64(byte[] b, long o, string f) { Check(b, o, 8, f); return BitConverter.ToUInt64(b, (int)o); }
    }

#if !REPRO_ELF_NO_TASK
    /// <summary>MSBuild task: weak-marks GLIBCXX_3.4.32 in the output copy of libLibTorchSharp.so when the system libstdc++ lacks it.</summary>
    public class PatchGlibcxxVersionNeed : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public string Library { get; set; } = "";
        public string Version { get; set; } = "GLIBCXX_3.4.32";

        private static readonly string[] LibStdCxxCandidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib64/libstdc++.so.6",
        };

        public override bool Execute()
        {
            if (!File.Exists(Library)) return true;
            string? libstdcxx = Array.Find(LibStdCxxCandidates, File.Exists);
            if (libstdcxx == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    "torch-native: no system libstdc++.so.6 found; " + Path.GetFileName(Library) + " left as shipped");
                return true;
            }
            if (ElfVersionNeeds.ContainsAscii(File.ReadAllBytes(libstdcxx), Version)) return true; // nothing to do

            byte[] elf = File.ReadAllBytes(Library);
            WeakPatchResult r = ElfVersionNeeds.MarkWeak(elf, Version, Library);
            if (r != WeakPatchResult.Patched) return true; // idempotent: already weak, or not needed at all
            string tmp = Library + ".patch-tmp";
            File.WriteAllBytes(tmp, elf);
            File.Replace(tmp, Library, null); // rename: a new inode: never writes through a link into the NuGet cache
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                "torch-native: " + libstdcxx + " lacks " + Version + "; marked that version need weak in " + Library);
            return true;
        }
    }
#endif
}
