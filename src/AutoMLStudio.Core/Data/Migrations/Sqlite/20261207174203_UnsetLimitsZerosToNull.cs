using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoMLStudio.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UnsetLimitsZerosToNull : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Issue 18 stored "not set" as 0 (never a valid limit) while these columns had to stay NOT NULL.
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxTrials\" = NULL WHERE \"MaxTrials\" = 0");
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxEpochsPerTrial\" = NULL WHERE \"MaxEpochsPerTrial\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxTrials\" = 0 WHERE \"MaxTrials\" IS NULL");
            migrationBuilder.Sql("UPDATE \"Searches\" SET \"MaxEpochsPerTrial\" = 0 WHERE \"MaxEpochsPerTrial\" IS NULL");
        }
    }
}
