namespace MediaWorker.Testing;

/// <summary>The engines the store's semantic tests run against, case for case.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}
