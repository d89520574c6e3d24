using System.Text;

namespace AutoMLStudio.Bench;

/// <summary>
/// Reads a CSV file as Python's csv module writes it (RFC 4180: commas, double quotes around cells that hold a comma,
/// a quote or a line break, quotes doubled inside), so the rows sent for prediction are the very cells scikit-learn read.
/// </summary>
public static class CsvFile
{
    public static List<string[]> Read(string path) => Parse(File.ReadAllText(path));

    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') cell.Append(text[++i]);
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = any = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    break;
                default:
                    cell.Append(c);
                    any = true;
                    break;
            }
        }
        EndRow();
        return rows;

        void EndRow()
        {
            if (any)
            {
                row.Add(cell.ToString());
                rows.Add([.. row]);
            }
            row = [];
            cell.Clear();
            any = false;
        }
    }
}
