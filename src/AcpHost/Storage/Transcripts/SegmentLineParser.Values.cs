using System.Text;
using AcpHost.Relay.Protocol;

namespace AcpHost.Storage.Transcripts;

/// <summary>The segment line reader's readers of single values: a tool's input, an attachment, names, strings, flags.</summary>
internal static partial class SegmentLineParser
{
    private static void ReadInput(ref Utf8JsonReader reader, ToolUse use)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("file_path"u8))
            {
                use.FilePath = String(ref reader);
            }
            else if (reader.ValueTextEquals("notebook_path"u8))
            {
                use.NotebookPath = String(ref reader);
            }
            else if (reader.ValueTextEquals("path"u8))
            {
                use.Path = String(ref reader);
            }
            else if (reader.ValueTextEquals("url"u8))
            {
                use.Url = String(ref reader);
            }
            else if (reader.ValueTextEquals("command"u8))
            {
                use.Command = String(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadAttachment(ref Utf8JsonReader reader, SegmentLine result)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                result.FileAttachment = reader.ValueTextEquals("file"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("filename"u8))
            {
                result.AttachmentFile = String(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static string? Name(ref Utf8JsonReader reader, SegmentLine result)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        foreach (string? name in result.Names)
        {
            if (name is not null && reader.ValueTextEquals(name))
            {
                return name;
            }
        }

        return result.Remember(reader.GetString()!);
    }

    // Positioned on a property name: its value as a string, or null (skipped) for any other value.
    private static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static bool True(ref Utf8JsonReader reader)
    {
        reader.Read();
        bool value = reader.TokenType == JsonTokenType.True;
        reader.Skip();
        return value;
    }
}
