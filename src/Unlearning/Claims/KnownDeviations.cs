namespace Unlearning.Claims;

/// <summary>
/// A claim variant recorded as deviating at a reduced scale: why it deviates there and what the paper's scale should
/// show. The numbers are never part of the entry — every run measures them again. A registered variant that still
/// deviates (or is unresolved) is reported with its live numbers; once it holds, the tests fail until the entry is removed.
/// <see cref="CpuDependent"/> marks a variant measured to hold on one CPU and deviate on another with the same code and
/// seeds (a discrete choice flips with floating-point differences): there, holding passes and says so.
/// </summary>
public sealed record KnownDeviation(string Claim, string Variant, string Scale, string Why, string AtPaperScale, bool CpuDependent = false);

/// <summary>The known-deviation registry: data, consulted by the registry of claims, the tests and the report.</summary>
public static class KnownDeviations
{
    private const string HealingMnist = "MNIST, random 5–30%";

    /// <summary>Every recorded deviation, by claim and variant (ci scale).</summary>
    public static IReadOnlyList<KnownDeviation> All { get; } =
    [
        new("P.F6.trend", "XLF, S_f=50%", "ci",
            "at α = 112, the first α before S_f's share crosses ρ, the dampening takes the clean accuracy to within about 1 to 3.5 points of the " +
            "poisoned model's, which sits on the check's 1-point margin: the 2-thread run held (clean accuracy kept), the 1-thread run of the test " +
            "lanes deviates (93.65 against 97.05 measured), with the same code and seeds.",
            "Clean accuracy holds until S_f's share crosses ρ, then over-forgetting sets in (Fig. 6).", CpuDependent: true),
        new("H.T1.sisa-drop", "MNIST", "ci",
            "each of the 3 shards sees a third of the 8,000 ci training images, where the paper's MNIST shards see 20,000. The run measures " +
            "where the accuracy goes: 3 unsliced shards trained for the base model's epochs lose most of the gap to the baseline, and SISA's " +
            "own slicing rule (as many sample visits as an unsliced shard) recovers about as much as removing the slices — so on MNIST the " +
            "shard size, not the slice schedule, explains most of the drop.",
            "SISA within 0.7 pp of the baseline (98.91 vs 98.98)."),
        new("H.T1.sisa-drop", "Fashion-MNIST (stands in for CIFAR-10)", "ci",
            "each shard sees a third of the 8,000 ci training images, and the suite's slice schedule (⌈e/5⌉ epochs per slice step: 6 " +
            "shard-epochs where an unsliced shard gets 10) adds to it. The run measures both: on Fashion-MNIST 3 unsliced shards stay within " +
            "a few points of the baseline, SISA's own slicing rule recovers most of the schedule's loss, and the schedule costs more than the " +
            "shard size does — both explanations hold here, the schedule's the larger.",
            "SISA within 0.7 pp of the baseline on CIFAR-10 (94.63 vs 95.27)."),
        new("H.T3.influence", HealingMnist, "ci",
            "with the update as §3 prints it (H⁻¹Σ∇ℓ, no 1/|D_r|) and Table 3's MNIST settings (depth 10, scale 10, max-norm 1), each " +
            "clipped step of norm 1 moves the ci SmallCnn far more than the paper's model: Influence falls far below Gold, beyond the " +
            "paper's 2–5 point band; with the 1/|D_r| scaling it barely moves the model (inside 1 point of Gold). The paper's MNIST model " +
            "and its LiSSA estimate lie between the two.",
            "Influence 2–5 points below Gold, 97.8% after 5% and 94.1% after 30% (§5.2)."),
        new("H.T5.worst25", "MNIST Influence, worst 25 logits vs 25 of class 7", "ci",
            "the influence step is clipped to norm 1 for both requests; the 25 images of one class push it along one coherent direction (all " +
            "away from class 7), while the 25 worst-fit images come from many classes and their summed gradients partly cancel, so the clipped " +
            "step does less harm. The paper's worst-25 Influence runs collapse with a LiSSA depth of 5,000 on a fully trained model.",
            "Influence after the worst 25 logits far below after 25 of class 7 (Table 6: 10.89 ± 21.10 vs 90.89 ± 1.24)."),
        new("H.T2.fisher-collapse", "MNIST 5%, clipping bound", "ci",
            "the collapse is the Newton step's: (F + ε)⁻¹∇L divides the retain gradient by Fisher entries near ε, a step of enormous " +
            "norm; clipped to a small norm it moves the model too little to collapse it, and the noise alone (the update without its Newton " +
            "step, reported beside) leaves the model near its accuracy. The paper does not state the clipping bounds it tried.",
            "Fisher forgetting stays collapsed at every clipping bound tried (§5.2)."),
        new("A.F2.continuous", "with D_R, 5 × 2%", "ci",
            "RL, BS and SalUn with D_R over-forget each 40-image request: they push D_F's RMIA scores far below D_T's, which Fig. 2's " +
            "FR − FT AUC counts as better unlearning, although a retrained model sits far lower; without D_R the baselines do not over-forget this way.",
            "AMUN-A ≥ AMUN ≥ every other method on FR − FT AUC over 5 requests."),
        new("A.T1.avg-gap", "with D_R, forget 50%", "ci",
            "with half of the 2,000 training images forgotten, AMUN and ℓ1-sparse both take the ci grid's largest rate (0.1, an edge of " +
            "the coarse grid); there AMUN's fine-tuning on D_R ∪ D_A keeps less retain and test accuracy than ℓ1-sparse's and leaves its " +
            "FT AUC a little further above the retrained model's, so ℓ1-sparse ends closer to Retrain on the Avg Gap.",
            "AMUN's Avg Gap the lowest with D_R at 50% (0.33 against ℓ1-sparse's 2.67, Table 1)."),
        new("A.F1.adv-keeps-acc", "forget 10%", "ci",
            "fine-tuned on D_A alone at AMUN's rate tuned without D_R, 5 epochs on the 200 adversarial examples of the ci forget set pull the " +
            "SmallCnn's test accuracy well below the original model's (about 17 points measured), although far less than the substitutes do " +
            "(D_AdvL alone ends near a quarter of that accuracy): on a model trained on 2,000 images, D_A is a large share of what it sees.",
            "Test accuracy after fine-tuning on D_A alone stays close to the original model's, far above every substitute (Fig. 1, right)."),
        new("A.T3.lipschitz", "1-Lipschitz layers, D_F only, forget 10%", "ci",
            "the rate the search picks for AMUN without D_R on the 200-sample tuning draw (lowest Avg Gap) costs the clipped SmallCnn a large " +
            "share of its test accuracy where the retrained model keeps it, and leaves D_F's RMIA scores short of unseen data's: the " +
            "1-Lipschitz model moves less per step, and the Avg Gap that picks the rate weighs test accuracy as one term of four.",
            "AMUN's FT AUC at the retrained model's on a 1-Lipschitz ResNet-18 after 10 epochs, its test accuracy 1.5 points below Retrain's (Table 3)."),
        new("A.T3.lipschitz", "1-Lipschitz layers, D_F only, forget 50%", "ci",
            "on half of D, 5 epochs at the searched rate leave D_F recognisable to RMIA on the clipped SmallCnn: the 1-Lipschitz model moves " +
            "less per step, so its own adversarial examples do not pull 1,000 samples' confidences down to unseen data's.",
            "AMUN's FT AUC at the retrained model's on a 1-Lipschitz ResNet-18 after 10 epochs (49.64 at 50%)."),
        new("A.T10-11.mis", "with D_R, forget 10%", "ci",
            "the coarse rate grid hands AMUN with D_R its largest rate (chosen on RMIA's Avg Gap); that rate costs it retain and test accuracy, " +
            "and MIS, a confidence attack, then finds D_F less member-like than the retrained model does, so with MIS in the Avg Gap several " +
            "baselines end closer to the retrained model.",
            "AMUN's Avg Gap with MIS the lowest (0.59)."),
        new("P.T1.order", "SSD family, S_f=10%", "ci",
            "with a tenth of the poison identified, PTN's search over SSD's importances ends without dampening anything, so PTN-SSD heals " +
            "what None does while LF and XLF heal nearly all of it; between those two, LF heals a few more of the 2,000 triggered images.",
            "PTN-XLF 93.72 ≥ PTN-LF 92.49 ≥ PTN-SSD 87.52 ≥ the Goel grid SSD 83.41 (Table 1, CIFAR-10 mean)."),
        new("P.T1.order", "Goel mean", "ci",
            "the ci grid has three scenarios (S_f 10%, 50%, 100% of 2% poison); at S_f 10% PTN-SSD's search ends without dampening, which pulls " +
            "PTN-SSD's mean below the Goel grid SSD's.",
            "PTN-SSD (87.52) above the Goel grid SSD (83.41) over the 30-scenario CIFAR grid."),
        new("P.T1.one-shot", "vs the Goel grid SSD", "ci",
            "one identified sample suffices for the Goel grid SSD at ci scale: the small CNN on MNIST concentrates the 3×3 trigger in few " +
            "weights that one sample's Fisher already singles out.",
            "the grid SSD cannot one-shot heal (18.24%)."),
        new("P.T2-7.poisons", "sinusoid harder than moving", "ci",
            "the moving trigger is the harder one at ci scale: its S_f covers four patch positions, each seen in a quarter of the poisoned " +
            "images, and on 28×28 digits the sinusoid's smooth column pattern is dampened as readily as a patch.",
            "the ViT on Imagenette heals the moving trigger best (97.67%) and the sinusoid worst (80.78%)."),
        new("P.T2-7.poisons", "sinusoid harder than badnet", "ci",
            "PTN-SSD does not heal BadNet at S_f 10% (its search ends without dampening), which pulls its BadNet mean over S_f 10% and 50% " +
            "below the sinusoid's; PTN-XLF and PTN-LF heal both triggers alike.",
            "the sinusoid heals worst of the three triggers (Tables 2–7)."),
        new("P.T2-7.poisons", "moving trigger, one-shot", "ci",
            "Goel et al.'s grid chooses α and λ on the clean validation set after dampening with one identified sample; at ci scale that " +
            "choice flips between CPUs (an AVX-512 Xeon and an AVX2 EPYC, same code and seeds): on one it keeps the mild setting and the " +
            "moving trigger stays, on the other it picks an aggressive dampening that removes much of the trigger at the price of model damage.",
            "the moving trigger cannot be one-shot healed: every SSD-family method stays within 10 points of None (Tables 2–7).", CpuDependent: true),
    ];

    /// <summary>The entry of a claim variant at <paramref name="scale"/>, or null.</summary>
    public static KnownDeviation? Find(string claim, string variant, string scale = "ci") =>
        All.FirstOrDefault(d => d.Claim == claim && d.Variant == variant && d.Scale == scale);
}
