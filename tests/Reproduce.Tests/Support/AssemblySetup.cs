using Xunit.Sdk;
using Xunit.v3;

// Torch-using tests train on both cores and seed torch's global generator when they build models; running
// them in parallel would interleave those draws (losing determinism) and thrash the two cores. TorchSharp's
// own suite serialises for the same reason.
[assembly: Parallelization(Mode = ParallelMode.None)]
