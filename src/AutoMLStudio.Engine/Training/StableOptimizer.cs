using AutoMLStudio.Engine.Spaces;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoMLStudio.Engine.Training;

/// <summary>
/// Adam, AdamW and SGD (momentum 0.9, optionally Nesterov) with the update rules of TorchSharp's optimizers, written so
/// that every scalar handed to libtorch stays reachable until libtorch has read it. TorchSharp's own steps convert
/// doubles to <see cref="Scalar"/> objects inline (<c>param.mul_(1 - lr * wd)</c>) and keep no reference while the
/// native call runs, so the finalizer thread can free a scalar mid-call: trials then failed at random with "Expected
/// false to be true ... toDouble" (4 of 43 trials in a 60-minute Fashion-MNIST search on 2 cores).
/// </summary>
public sealed class StableOptimizer : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8, Momentum = 0.9;
    // Marks files written by this class; checkpoints from TorchSharp's optimizers do not start with it.
    private const string FileMark = "amls-optimizer-1";

    private readonly Parameter[] _parameters;
    // Parameters from this index on learn at _slowScale times the rate (pretrained layers under a new head).
    private readonly int _slowFrom;
    private readonly double _slowScale;
    private readonly string _kind;
    private readonly double _weightDecay;
    private readonly bool _nesterov;
    // Adam and AdamW: first and second moments; SGD: the momentum buffer in First, made at the first step.
    private readonly Tensor?[] _first, _second;
    private long _step;

    private StableOptimizer(IEnumerable<Parameter> parameters, IEnumerable<Parameter> slow, double slowScale, string kind, double learningRate, double weightDecay, bool nesterov)
    {
        Parameter[] fast = [.. parameters.Where(p => p.requires_grad)];
        _parameters = [.. fast, .. slow.Where(p => p.requires_grad)];
        _slowFrom = fast.Length;
        _slowScale = slowScale;
        _kind = kind;
        LearningRate = learningRate;
        _weightDecay = weightDecay;
        _nesterov = nesterov;
        _first = new Tensor?[_parameters.Length];
        _second = new Tensor?[_parameters.Length];
        if (kind == "sgd") return;
        for (var i = 0; i < _parameters.Length; i++)
        {
            _first[i] = torch.zeros_like(_parameters[i]).DetachFromDisposeScope();
            _second[i] = torch.zeros_like(_parameters[i]).DetachFromDisposeScope();
        }
    }

    /// <summary>The optimizer <paramref name="settings"/> name: adam, adamw or sgd.</summary>
    /// <exception cref="ArgumentException">Another optimizer name.</exception>
    public static StableOptimizer Create(IEnumerable<Parameter> parameters, TrainingSettings settings) => Create(parameters, settings, [], 1);

    /// <summary>
    /// As <see cref="Create(IEnumerable{Parameter}, TrainingSettings)"/>, with <paramref name="slow"/> parameters that
    /// learn at <paramref name="slowScale"/> times the learning rate (their decoupled weight decay scales with it, as
    /// in a PyTorch parameter group with its own rate).
    /// </summary>
    public static StableOptimizer Create(IEnumerable<Parameter> parameters, TrainingSettings settings, IEnumerable<Parameter> slow, double slowScale)
    {
        var kind = settings.Optimizer.ToLowerInvariant();
        if (kind is not ("adam" or "adamw" or "sgd"))
            throw new ArgumentException($"Unknown optimizer '{settings.Optimizer}'. Valid optimizers: adam, adamw, sgd.");
        if (slowScale is <= 0 or > 1 || double.IsNaN(slowScale))
            throw new ArgumentException($"The pretrained layers' learning-rate scale must be in (0, 1], not {slowScale}.");
        return new StableOptimizer(parameters, slow, slowScale, kind, settings.LearningRate, settings.WeightDecay, settings.Nesterov);
    }

    /// <summary>The rate the next <see cref="Step"/> uses; learning-rate schedules set it before each batch.</summary>
    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    public void Step()
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        _step++;
        if (_kind == "sgd") StepSgd();
        else StepAdam(decoupled: _kind == "adamw");
    }

    private void StepAdam(bool decoupled)
    {
        var correction1 = 1 - Math.Pow(Beta1, _step);
        var correction2 = 1 - Math.Pow(Beta2, _step);
        // Each scalar lives in a local that is disposed after the loop, so none can be collected while libtorch reads it.
        using var decay = (1 - LearningRate * _weightDecay).ToScalar();
        using var slowDecay = (1 - LearningRate * _slowScale * _weightDecay).ToScalar();
        using var l2 = _weightDecay.ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        // add_(scalar) alone would make its alpha of 1 inline, the very thing this class avoids.
        using var one = 1.0.ToScalar();
        using var stepSize = (-LearningRate / correction1).ToScalar();
        using var slowStepSize = (-LearningRate * _slowScale / correction1).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null) continue;
            var slow = i >= _slowFrom;
            if (decoupled && _weightDecay != 0) parameter.mul_(slow ? slowDecay : decay);
            else if (_weightDecay != 0) grad = grad.add(parameter, l2);
            _first[i]!.mul_(beta1).add_(grad, oneMinusBeta1);
            _second[i]!.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = _second[i]!.sqrt().div_(sqrtCorrection2).add_(epsilon, one);
            parameter.addcdiv_(_first[i]!, denominator, slow ? slowStepSize : stepSize);
        }
    }

    private void StepSgd()
    {
        using var l2 = _weightDecay.ToScalar();
        using var momentum = Momentum.ToScalar();
        using var one = 1.0.ToScalar();
        using var rate = (-LearningRate).ToScalar();
        using var slowRate = (-LearningRate * _slowScale).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null) continue;
            if (_weightDecay != 0) grad = grad.add(parameter, l2);
            if (_first[i] is not { } buffer) buffer = _first[i] = grad.clone().detach().DetachFromDisposeScope();
            else buffer.mul_(momentum).add_(grad, one);
            parameter.add_(_nesterov ? grad.add(buffer, momentum) : buffer, i >= _slowFrom ? slowRate : rate);
        }
    }

    /// <summary>Writes the step count and every moment or momentum buffer to <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(FileMark);
        writer.Write(_kind);
        writer.Write(_step);
        writer.Write(_parameters.Length);
        foreach (var tensor in _first.Concat(_second))
        {
            writer.Write(tensor is not null);
            tensor?.Save(writer);
        }
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote; false, leaving the fresh state, for a file written by TorchSharp's
    /// optimizers (a checkpoint from before this class), so such a trial resumes with its moments started again.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is for another optimizer or another network.</exception>
    public bool Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        string mark;
        try
        {
            mark = reader.ReadString();
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException)
        {
            return false;
        }
        if (mark != FileMark) return false;
        var kind = reader.ReadString();
        var step = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (kind != _kind || count != _parameters.Length)
            throw new InvalidDataException($"The optimizer state in {path} is for {kind} with {count} parameters, not {_kind} with {_parameters.Length}.");
        _step = step;
        for (var i = 0; i < 2 * count; i++)
        {
            var slots = i < count ? _first : _second;
            var at = i % count;
            if (!reader.ReadBoolean()) continue;
            slots[at] ??= torch.zeros_like(_parameters[at]).DetachFromDisposeScope();
            slots[at]!.Load(reader);
        }
        return true;
    }

    public void Dispose()
    {
        foreach (var tensor in _first.Concat(_second)) tensor?.Dispose();
    }
}
