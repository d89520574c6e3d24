using Microsoft.EntityFrameworkCore.Migrations;

namespace AutoMLStudio.Core.Data.Migrations;

/// <summary>
/// Rows written before a column existed (the add-only upgrade and <see cref="LegacyBaseline"/> gave them "" or NULL) get the
/// value the code used to assume for them, so the code reads one shape. The same SQL on SQLite and PostgreSQL.
/// </summary>
internal static class StoredBeforeValues
{
    public static void Up(MigrationBuilder migration)
    {
        // Before tasks, every search and model classified images.
        migration.Sql("UPDATE \"Searches\" SET \"Task\" = 'image_classification' WHERE \"Task\" = ''");
        migration.Sql("UPDATE \"ModelVersions\" SET \"Task\" = 'image_classification' WHERE \"Task\" = ''");
        // Before strategies and schedulers, a search was random search without early stopping.
        migration.Sql("UPDATE \"Searches\" SET \"Algorithm\" = 'random' WHERE \"Algorithm\" = ''");
        migration.Sql("UPDATE \"Searches\" SET \"Scheduler\" = 'none' WHERE \"Scheduler\" = ''");
        // Before objectives, a search optimised accuracy.
        migration.Sql("UPDATE \"Searches\" SET \"Metric\" = 'accuracy' WHERE \"Metric\" = ''");
        // Before budget plans, a trial without an epoch limit trained 5 epochs and strategies planned for 20 trials.
        migration.Sql("UPDATE \"Searches\" SET \"PlannedEpochsPerTrial\" = 5 WHERE \"PlannedEpochsPerTrial\" IS NULL AND \"MaxEpochsPerTrial\" IS NULL");
        migration.Sql("UPDATE \"Searches\" SET \"PlannedTrials\" = 20 WHERE \"PlannedTrials\" IS NULL AND \"MaxTrials\" IS NULL");
    }
}
