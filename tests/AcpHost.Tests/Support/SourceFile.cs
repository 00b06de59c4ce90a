using System.Text.RegularExpressions;

namespace AcpHost.Tests.Support;

/// <summary>One C# source file: where it is, its namespace, its using directives, the types it declares, and its code.</summary>
/// <param name="Path">Relative to the repository root, with forward slashes.</param>
/// <param name="Lines">How many lines it has.</param>
/// <param name="Namespace">Its file-scoped or block namespace; null when it has none.</param>
/// <param name="Usings">The namespaces of its using directives (plain, static and aliased).</param>
/// <param name="DeclaredTypes">The names of the classes, records, structs, interfaces, enums and delegates it declares.</param>
/// <param name="Code">Its text without comments and string literals, except the targets of <c>cref</c>s.</param>
internal sealed partial record SourceFile(string Path, int Lines, string? Namespace, IReadOnlyList<string> Usings, IReadOnlyList<string> DeclaredTypes, string Code)
{
    /// <summary>Parses a file's text.</summary>
    public static SourceFile Read(string path, string text)
    {
        int lines = text.Length == 0 ? 0 : text.Count(c => c == '\n') + (text.EndsWith('\n') ? 0 : 1);
        string? space = NamespaceDeclaration().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
        var usings = UsingDirective().Matches(text).Select(u => u.Groups[1].Value).ToList();
        string crefs = string.Join(' ', Cref().Matches(text).Select(c => c.Groups[1].Value + ";"));
        string code = CommentOrString().Replace(text, " ");
        var types = TypeDeclaration().Matches(code).Select(t => t.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        code += "\n" + crefs;
        return new SourceFile(path, lines, space, usings, types, code);
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b(?:class|record(?:\s+struct|\s+class)?|struct|interface|enum|delegate\s+[\w.<>?]+)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"cref=""(?:[A-Z]:)?([\w.]+)")]
    private static partial Regex Cref();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""""""[\s\S]*?""""""|""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
