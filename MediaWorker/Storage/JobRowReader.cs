using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace MediaWorker.Storage;

/// <summary>
/// Reads job rows the way the CLI shows them, whatever a foreign producer stored. SQLite keeps any
/// value in any column, so a <c>created_at</c> of <c>'yesterday'</c> is a valid row that a strict
/// mapper refuses (and with it the whole listing). Here a value of the wrong kind is left out (the
/// column shows as empty, or as its default when it cannot be empty) and the row's
/// <see cref="JobRecord.ReadProblems"/> says which column held what.
/// </summary>
public static class JobRowReader
{
    /// <summary>Runs <paramref name="sql"/> (selecting <see cref="JobRecord.Columns"/>) and reads every row.</summary>
    public static List<JobRecord> Query(DbConnection connection, string sql, object? parameters)
    {
        using var reader = connection.ExecuteReader(sql, parameters);
        var rows = new List<JobRecord>();
        // PostgreSQL folds unquoted aliases to lower case (JobId comes back as jobid).
        var ordinals = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            rows.Add(new Row(reader, ordinals).Read());
        }

        return rows;
    }

    /// <summary>How a stored value is shown in a message: text quoted, a blob by its size.</summary>
    public static string Show(object value) => value switch
    {
        string text => $"'{(text.Length > 40 ? text[..40] + "…" : text)}'",
        byte[] blob => $"a blob of {blob.Length} bytes",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class Row(IDataReader reader, Dictionary<string, int> ordinals)
    {
        private readonly List<string> _problems = [];

        public JobRecord Read()
        {
            var record = new JobRecord
            {
                Id = Integer(nameof(JobRecord.Id), "a row id") ?? 0,
                JobId = Text(nameof(JobRecord.JobId)) ?? "",
                TaskType = Text(nameof(JobRecord.TaskType)) ?? "",
                Params = Text(nameof(JobRecord.Params)),
                Output = Text(nameof(JobRecord.Output)),
                Status = Text(nameof(JobRecord.Status)) ?? JobStatus.Queued,
                Priority = Integer(nameof(JobRecord.Priority), "an integer") ?? 0,
                Progress = Integer(nameof(JobRecord.Progress), "an integer") ?? 0,
                CreatedAt = Integer(nameof(JobRecord.CreatedAt), Time),
                StartedAt = Integer(nameof(JobRecord.StartedAt), Time),
                CompletedAt = Integer(nameof(JobRecord.CompletedAt), Time),
                UpdatedAt = Integer(nameof(JobRecord.UpdatedAt), Time),
                ErrorMessage = Text(nameof(JobRecord.ErrorMessage)),
                RetryCount = Integer(nameof(JobRecord.RetryCount), "an integer") ?? 0,
                MaxRetries = Integer(nameof(JobRecord.MaxRetries), "an integer") ?? 0,
                CreatedBy = Text(nameof(JobRecord.CreatedBy)),
                Attempts = Integer(nameof(JobRecord.Attempts), "an integer") ?? 0,
                RunAfter = Integer(nameof(JobRecord.RunAfter), Time) ?? 0,
                LeaseOwner = Text(nameof(JobRecord.LeaseOwner)),
                LeaseExpiresAt = Integer(nameof(JobRecord.LeaseExpiresAt), Time),
                CancelRequested = Integer(nameof(JobRecord.CancelRequested), "0 or 1") ?? 0,
                TimeoutSeconds = Real(nameof(JobRecord.TimeoutSeconds)),
                IdempotencyKey = Text(nameof(JobRecord.IdempotencyKey)),
                ParentJobId = Text(nameof(JobRecord.ParentJobId)),
                WorkerId = Text(nameof(JobRecord.WorkerId)),
            };
            return _problems.Count == 0 ? record : record with { ReadProblems = _problems };
        }

        private const string Time = "a time in Unix milliseconds";

        private object? Value(string property) =>
            ordinals.TryGetValue(property, out var ordinal) && !reader.IsDBNull(ordinal) ? reader.GetValue(ordinal) : null;

        private long? Integer(string property, string expected) => Number<long>(property, expected, static value => value switch
        {
            long integer => integer,
            int integer => integer,
            double real when real == Math.Floor(real) && Math.Abs(real) < 9e15 => (long)real,
            string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => (long?)null,
        });

        private double? Real(string property) => Number<double>(property, "a number", static value => value switch
        {
            long integer => integer,
            double real => real,
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => (double?)null,
        });

        /// <summary>The column's value as a number when it reads as one; otherwise null, and the problem noted.</summary>
        private T? Number<T>(string property, string expected, Func<object, T?> convert)
            where T : struct
        {
            if (Value(property) is not { } value)
            {
                return null;
            }

            if (convert(value) is { } number)
            {
                return number;
            }

            _problems.Add($"{Column(property)} holds {Show(value)}, not {expected}; shown as empty");
            return null;
        }

        private string? Text(string property)
        {
            switch (Value(property))
            {
                case null:
                    return null;
                case string text:
                    return text;
                case byte[] blob:
                    try
                    {
                        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(blob);
                    }
                    catch (DecoderFallbackException)
                    {
                        _problems.Add($"{Column(property)} holds {Show(blob)}, not text; shown as empty");
                        return null;
                    }

                case var other:
                    return Convert.ToString(other, CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The table's column for a <see cref="JobRecord"/> property: CreatedAt is created_at.</summary>
        private static string Column(string property)
        {
            var name = new StringBuilder(property.Length + 4);
            foreach (var c in property)
            {
                if (char.IsUpper(c) && name.Length > 0)
                {
                    name.Append('_');
                }

                name.Append(char.ToLowerInvariant(c));
            }

            return name.ToString();
        }
    }
}
