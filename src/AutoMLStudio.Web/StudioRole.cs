namespace AutoMLStudio.Web;

/// <summary>What this process does: <c>--role all</c> (default) serves UI, API and runs jobs; <c>--role worker</c> only runs jobs.</summary>
public enum StudioRole { All, Worker }

public static class StudioRoleConfiguration
{
    public static StudioRole Read(IConfiguration configuration) =>
        (configuration["role"] ?? configuration["Studio:Role"] ?? "all").Trim().ToLowerInvariant() switch
        {
            "all" => StudioRole.All,
            "worker" => StudioRole.Worker,
            var other => throw new InvalidOperationException($"Unknown role '{other}'. Use --role all or --role worker."),
        };
}
