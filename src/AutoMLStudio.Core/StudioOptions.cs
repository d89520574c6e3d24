using System.ComponentModel.DataAnnotations;

namespace AutoMLStudio.Core;

public sealed class StudioOptions
{
    public const string Section = "Studio";

    /// <summary>Where the database, uploads, datasets, checkpoints and models live.</summary>
    [Required]
    public string DataDir { get; set; } = "data";

    /// <summary>
    /// <c>sqlite</c> (one machine; the job queue then lives in memory) or <c>postgres</c> (the app database and the job
    /// queue in PostgreSQL, which several nodes share).
    /// </summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Studio:Database must be sqlite or postgres.")]
    public string Database { get; set; } = "sqlite";

    /// <summary>SQLite: empty means <c>{DataDir}/studio.db</c>. PostgreSQL: required, e.g. <c>Host=db;Database=studio;Username=studio;Password=...</c>.</summary>
    public string? ConnectionString { get; set; }

    public bool UsesPostgres => Database == "postgres";

    /// <summary>This machine's name in leases and logs; two processes on one node must not share it.</summary>
    public string NodeName { get; set; } = Environment.MachineName;

    public ImportOptions Import { get; set; } = new();
    public TrainingOptions Training { get; set; } = new();

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDir), "studio.db");
}

public sealed class ImportOptions
{
    [Range(1, long.MaxValue)] public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    [Range(1, int.MaxValue)] public int MaxEntries { get; set; } = 200_000;
    [Range(1, long.MaxValue)] public long MaxUncompressedBytes { get; set; } = 8L * 1024 * 1024 * 1024;
    [Range(2, 100_000)] public int MaxCompressionRatio { get; set; } = 200;
    [Range(1, long.MaxValue)] public long MaxImageBytes { get; set; } = 50L * 1024 * 1024;
    [Range(1, long.MaxValue)] public long MaxImagePixels { get; set; } = 40_000_000;
    [Range(16, 512)] public int ThumbnailSize { get; set; } = 128;
    /// <summary>Longest CSV field (and text file) in characters; a row with a longer field is skipped and reported.</summary>
    [Range(1, 1_000_000_000)] public int MaxFieldBytes { get; set; } = 1024 * 1024;
    /// <summary>Folders on the server that admins may import from; empty turns server-folder import off.</summary>
    public string[] ServerFolders { get; set; } = [];
}

public sealed class TrainingOptions
{
    /// <summary>
    /// Trials that run at once on the CPU queue; 0 = one per core. With the default of 0 threads per trial that is one
    /// single-threaded trial per core, which trains more images per second than one trial on every core (bench: packing).
    /// </summary>
    [Range(0, 64)] public int CpuSlots { get; set; }
    /// <summary>Torch threads per CPU trial; 0 = cores divided by slots.</summary>
    [Range(0, 256)] public int ThreadsPerTrial { get; set; }

    /// <summary>
    /// Whether this node trains trials on its devices. A web node of a multi-node setup can leave training to its
    /// workers (false) and keep its cores for the UI, the API and hosted models.
    /// </summary>
    public bool ServeDevices { get; set; } = true;

    /// <summary>Trials that share one GPU at once, unless <see cref="DeviceSlots"/> names the device.</summary>
    [Range(1, 64)] public int GpuSlots { get; set; } = 1;

    /// <summary>Slots of single devices by id (for example <c>"cuda:1": 4</c> for a large GPU); overrides CpuSlots and GpuSlots.</summary>
    public Dictionary<string, int> DeviceSlots { get; set; } = [];

    /// <summary>Trials one person's searches may run at once across all devices; 0 = no limit. An admin can set a person's own.</summary>
    [Range(0, 10_000)] public int MaxConcurrentTrialsPerUser { get; set; }

    /// <summary>Slots of the device with id <paramref name="deviceId"/>.</summary>
    public int SlotsOf(string deviceId) =>
        DeviceSlots.TryGetValue(deviceId, out var slots) && slots > 0 ? slots : deviceId == "cpu" ? CpuSlotCount : GpuSlots;

    /// <summary><see cref="CpuSlots"/> with 0 resolved to the number of cores.</summary>
    public int CpuSlotCount => CpuSlots > 0 ? CpuSlots : Environment.ProcessorCount;

    /// <summary><see cref="ThreadsPerTrial"/> with 0 resolved to cores divided by slots (at least 1).</summary>
    public int CpuThreadsPerTrial => ThreadsPerTrial > 0 ? ThreadsPerTrial : Math.Max(1, Environment.ProcessorCount / CpuSlotCount);

    // libtorch's random generator is one per process: two trials side by side draw initial weights and dropout masks
    // from it in whichever order the threads run, and strategies see trials finish in either order. A search that asked
    // for a seed wants to replay exactly, so it runs one trial at a time on every core instead.

    /// <summary>Trials a search runs side by side: one when it must replay exactly, else <see cref="CpuSlotCount"/>.</summary>
    public int SlotsFor(bool reproducible) => reproducible ? 1 : CpuSlotCount;

    /// <summary>Torch threads for a trial of such a search: every core (or <see cref="ThreadsPerTrial"/>) when it runs alone.</summary>
    public int ThreadsFor(bool reproducible) =>
        !reproducible ? CpuThreadsPerTrial : ThreadsPerTrial > 0 ? ThreadsPerTrial : Environment.ProcessorCount;
    /// <summary>
    /// Times a trial that failed inside libtorch or on file I/O is resumed from its last checkpoint before it counts as
    /// failed: a last line of defence behind StableOptimizer against TorchSharp freeing a scalar libtorch still reads.
    /// </summary>
    [Range(0, 10)] public int TransientFailureRetries { get; set; } = 2;
    /// <summary>How long a trial's lease lasts without renewal; it is renewed every epoch.</summary>
    [Range(10, 86_400)] public int LeaseSeconds { get; set; } = 600;
    /// <summary>How often each node looks for trials and searches whose job was lost while it ran (<see cref="Searches.StalledWork"/>).</summary>
    [Range(1, 86_400)] public int StallCheckSeconds { get; set; } = 30;
    /// <summary>When a search may end before its minutes are spent (see docs/budgets.md).</summary>
    public ConvergenceOptions Convergence { get; set; } = new();
    /// <summary>The end of a search retrains the best configuration on train+validation only when that is estimated to take at most this long; 0 turns it off.</summary>
    [Range(0, 10_000)] public double FinalRetrainMaxMinutes { get; set; } = 30;
    /// <summary>...and only when validation holds at least this share of the labelled training data, so the retrain learns from meaningfully more.</summary>
    [Range(0, 1)] public double FinalRetrainMinValidationShare { get; set; } = 0.1;
}

/// <summary>
/// A search has converged, and may end before its minutes are spent, when no completed trial improved the best validation
/// value by more than <see cref="MinImprovement"/> in the last <see cref="Trials"/> completed trials and the last
/// <see cref="Minutes"/> minutes (and at least <see cref="Trials"/> trials completed).
/// </summary>
public sealed class ConvergenceOptions
{
    /// <summary>Completed trials without an improvement; 0 turns the rule off, so searches always spend their minutes.</summary>
    [Range(0, 10_000)] public int Trials { get; set; } = 30;
    /// <summary>Minutes without an improvement.</summary>
    [Range(0, 10_000)] public double Minutes { get; set; } = 3;
    /// <summary>Smallest change that counts as an improvement, in the metric's units (accuracy 0.001 = 0.1 points).</summary>
    [Range(0, 1e9)] public double MinImprovement { get; set; } = 0.001;
}
