using System.Reflection;
using System.Text.RegularExpressions;

namespace AcpHost.Tests.Support;

/// <summary>
/// The repository's C# sources as text, with the AcpHost namespaces each file refers to: its using directives, names
/// written in full (<c>AcpHost.Relay.Platform.OwnFiles</c>) and names qualified from an enclosing namespace
/// (<c>Relay.Platform.OwnFiles</c> inside <c>AcpHost.Hosting</c>), in code and in <c>cref</c>s alike. Enough to hold
/// the room plan without a compiler: a name only counts when it resolves to a type declared in the sources.
/// </summary>
internal sealed partial class SourceTree
{
    private readonly Dictionary<string, HashSet<string>> _typesByNamespace;

    private SourceTree(string root, IReadOnlyList<SourceFile> files)
    {
        Root = root;
        Files = files;
        _typesByNamespace = files
            .Where(f => f.Namespace is not null)
            .GroupBy(f => f.Namespace!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => f.DeclaredTypes).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>The repository root.</summary>
    public string Root { get; }

    /// <summary>Every .cs file under src/ and tests/, build output left out.</summary>
    public IReadOnlyList<SourceFile> Files { get; }

    /// <summary>Reads the repository the tests were built from.</summary>
    public static SourceTree Load()
    {
        string root = Path.GetFullPath(typeof(SourceTree).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!);
        var files = new List<SourceFile>();
        foreach (string top in new[] { "src", "tests" })
        {
            foreach (string path in Directory.EnumerateFiles(Path.Combine(root, top), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (!relative.Contains("/bin/", StringComparison.Ordinal) && !relative.Contains("/obj/", StringComparison.Ordinal))
                {
                    files.Add(SourceFile.Read(relative, File.ReadAllText(path)));
                }
            }
        }

        return new SourceTree(root, files);
    }

    /// <summary>The AcpHost namespaces <paramref name="file"/> refers to (its own left out).</summary>
    public IReadOnlySet<string> References(SourceFile file)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (string used in file.Usings.Where(u => u.StartsWith("AcpHost.", StringComparison.Ordinal)))
        {
            // `using static AcpHost.Features.Fork.ForkService;` names the namespace of the type.
            found.Add(_typesByNamespace.ContainsKey(used) ? used : Resolve(null, used) ?? used);
        }

        foreach (Match name in QualifiedName().Matches(file.Code))
        {
            if (Resolve(file.Namespace, name.Value) is { } space)
            {
                found.Add(space);
            }
        }

        found.Remove(file.Namespace ?? "");
        return found;
    }

    // A dotted name resolves as C# would look it up: in full, or from each enclosing namespace outward; it counts only
    // when its last part before a member is a type declared in that namespace (so `Relay.Options`, a property, does not).
    private string? Resolve(string? from, string dotted)
    {
        string[] parts = dotted.Split('.');
        var prefixes = new List<string> { "" };
        for (string? space = from; !string.IsNullOrEmpty(space); space = space.Contains('.', StringComparison.Ordinal) ? space[..space.LastIndexOf('.')] : null)
        {
            prefixes.Insert(0, space + ".");
        }

        foreach (string prefix in prefixes)
        {
            for (int split = parts.Length - 1; split >= 1; split--)
            {
                string space = prefix + string.Join('.', parts[..split]);
                if (space.StartsWith("AcpHost.", StringComparison.Ordinal)
                    && _typesByNamespace.TryGetValue(space, out HashSet<string>? types) && types.Contains(parts[split]))
                {
                    return space;
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?<![\w.])(?:[A-Z]\w*\.)+[A-Z]\w*")]
    private static partial Regex QualifiedName();
}
