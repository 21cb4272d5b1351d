using Spectre.Console;
using Unlearning.Training;

namespace Reproduce.Cli;

/// <summary>
/// The live display of <c>reproduce run</c>: one bar over the selected claim variants and one over the epochs of the
/// model being trained inside the current claim (reference models, retrains, poisoned models). Log lines written with
/// <see cref="AnsiConsole"/> meanwhile appear above the bars. On a console that is not interactive (a CI log, a file)
/// Spectre prints no animation, only the lines.
/// </summary>
internal sealed class LiveProgress
{
    private ProgressTask? _claims;
    private ProgressTask? _training;

    /// <summary>Receives the training progress of every model the run's <c>ScenarioRunner</c> trains.</summary>
    public IProgress<TrainingProgress> Training => new SyncProgress<TrainingProgress>(p =>
    {
        if (_training == null) return;
        _training.MaxValue = p.Epochs;
        _training.Value = p.Epoch - 1 + (double)p.Step / p.StepsPerEpoch;
        _training.Description = $"training: epoch {p.Epoch}/{p.Epochs}, loss {p.MeanLoss:0.0000}";
    });

    /// <summary>Runs <paramref name="body"/> under the display.</summary>
    public void Run(int claims, Action body)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            body();
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                _claims = ctx.AddTask("claims", maxValue: claims);
                _training = ctx.AddTask("training: idle", maxValue: 1);
                try { body(); }
                finally { _claims = _training = null; }
            });
    }

    /// <summary>Marks the start of claim variant <paramref name="index"/> (1-based).</summary>
    public void Claim(int index, string name)
    {
        if (_claims == null) return;
        _claims.Value = index - 1;
        _claims.Description = Markup.Escape($"claim {index}/{_claims.MaxValue:0}: {name}");
        if (_training != null)
        {
            _training.Value = 0;
            _training.Description = "training: none yet in this claim";
        }
    }
}
