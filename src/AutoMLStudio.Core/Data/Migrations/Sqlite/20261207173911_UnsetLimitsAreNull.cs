using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AutoMLStudio.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// The limits' columns become nullable (SQLite rebuilds the table). SQLite runs a migration's SQL before its table
    /// rebuilds, so the zeros become NULL in the next migration, UnsetLimitsZerosToNull.
    /// </summary>
    public partial class UnsetLimitsAreNull : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "MaxTrials",
                table: "Searches",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<int>(
                name: "MaxEpochsPerTrial",
                table: "Searches",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "MaxTrials",
                table: "Searches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "MaxEpochsPerTrial",
                table: "Searches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
