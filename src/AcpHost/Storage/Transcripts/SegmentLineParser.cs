using System.Text;
using AcpHost.Relay.Protocol;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Reads, in one <see cref="Utf8JsonReader"/> pass, what the segment analysis needs of a transcript line: its type, uuid
/// and subagent mark, the message's <c>tool_use</c> blocks (with the inputs that name files, commands and URLs) and its
/// failed <c>tool_result</c>s, the summary line's text, an attachment's file. Everything else (tool results, the
/// model's text) is skipped without being turned into strings. Keys may come in any order; a repeated key is read
/// again, so the last one wins, as with <c>JSON.parse</c>.
/// </summary>
internal static partial class SegmentLineParser
{
    private enum Block
    {
        Other,
        ToolUse,
        ToolResult,
        Text,
    }

    /// <summary>Reads the line into <paramref name="result"/>; false when it is not a whole JSON object (or not UTF-8 where read).</summary>
    /// <param name="line">One line of a transcript.</param>
    /// <param name="result">Filled from the line (reset first).</param>
    /// <param name="wantText">Read the message's text too (only the summary line's is wanted).</param>
    public static bool Read(ReadOnlySpan<byte> line, SegmentLine result, bool wantText)
    {
        result.Reset();
        try
        {
            var reader = new Utf8JsonReader(line, JsonDepth.Reader);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    result.Assistant = reader.ValueTextEquals("assistant"u8);
                    result.User = reader.ValueTextEquals("user"u8);
                    result.Attachment = reader.ValueTextEquals("attachment"u8);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("uuid"u8))
                {
                    result.Uuid = String(ref reader);
                }
                else if (reader.ValueTextEquals("isSidechain"u8))
                {
                    result.Sidechain = True(ref reader);
                }
                else if (reader.ValueTextEquals("isCompactSummary"u8))
                {
                    result.CompactSummary = True(ref reader);
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    ReadMessage(ref reader, result, wantText);
                }
                else if (reader.ValueTextEquals("attachment"u8))
                {
                    ReadAttachment(ref reader, result);
                }
                else
                {
                    reader.Skip();
                }
            }

            // Reading on to the end checks the line is whole: a torn line throws here rather than passing as valid.
            while (reader.Read())
            {
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Positioned on a message's <c>content</c> property name: reads its blocks (or its text) into <paramref name="result"/>
    /// and returns on the value's end. A repeated <c>content</c> replaces the earlier one.
    /// </summary>
    public static void ReadContent(ref Utf8JsonReader reader, SegmentLine result, bool wantText)
    {
        result.ClearContent();
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            result.Text = wantText ? reader.GetString() : null;
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            var text = wantText ? new StringBuilder() : null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                ReadBlock(ref reader, result, text);
            }

            result.Text = text?.ToString();
        }
        else
        {
            reader.Skip();
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, SegmentLine result, bool wantText)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                ReadContent(ref reader, result, wantText);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    // Positioned on a content block (any value); returns on its end.
    private static void ReadBlock(ref Utf8JsonReader reader, SegmentLine result, StringBuilder? text)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        Block type = Block.Other;
        string? toolUseId = null, blockText = null;
        bool isError = false;
        ToolUse use = result.NewToolUse();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.ValueTextEquals("tool_use"u8) ? Block.ToolUse
                    : reader.ValueTextEquals("tool_result"u8) ? Block.ToolResult
                    : reader.ValueTextEquals("text"u8) ? Block.Text
                    : Block.Other;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                use.Id = String(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                use.Name = Name(ref reader, result);
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                ReadInput(ref reader, use);
            }
            else if (reader.ValueTextEquals("tool_use_id"u8))
            {
                toolUseId = String(ref reader);
            }
            else if (reader.ValueTextEquals("is_error"u8))
            {
                isError = True(ref reader);
            }
            else if (text is not null && reader.ValueTextEquals("text"u8))
            {
                blockText = String(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        if (type == Block.ToolUse)
        {
            result.ToolUses.Add(use);
            return;
        }

        result.Spare(use);
        if (type == Block.ToolResult && isError && toolUseId is not null)
        {
            result.ErrorIds.Add(toolUseId);
        }
        else if (type == Block.Text && blockText is not null)
        {
            text?.Append(text.Length > 0 ? "\n" : "").Append(blockText);
        }
    }
}
