namespace AcpHost.Storage.Transcripts;

/// <summary>
/// The strings the previous usage line named, reused when the next line says the same: a file's thousands of lines
/// share one string per session, cwd and model, and the lines of one response one string per id. One per reader.
/// </summary>
internal struct LineStrings
{
    public string? Session;
    public string? Cwd;
    public string? MessageId;
    public string? RequestId;
    public string? Model;
    public string? AgentId;
    public string? ForkedFrom;

    /// <summary>Reads the string value after a property name into <paramref name="last"/> (allocating only when it differs); null for any other value.</summary>
    internal static string? Read(ref Utf8JsonReader reader, ref string? last)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (last is null || !reader.ValueTextEquals(last))
        {
            last = reader.GetString();
        }

        return last;
    }
}
