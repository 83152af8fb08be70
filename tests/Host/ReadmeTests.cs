using System.Text.RegularExpressions;
using GatewayProxy.Tests.Host.Configuration;
using Xunit;

namespace GatewayProxy.Tests.Host;

/// <summary>README.md's "Connecting your bot" tells a new user what the proxy serves, and its links into docs/ land on
/// headings that exist.</summary>
public sealed partial class ReadmeTests
{
    private static readonly string Root = SampleConfigTests.RepositoryRoot();

    [Fact]
    public void Connecting_your_bot_covers_v9_wss_and_every_library_the_interop_tests_run()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        int start = readme.IndexOf("## Connecting your bot", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"Connecting your bot\" section");
        int end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        string section = end < 0 ? readme[start..] : readme[start..end];
        foreach (string needle in new[] { "?v=9", "wss://", "\"tls\"", "NODE_EXTRA_CA_CERTS", "VOICE_SERVER_UPDATE", "**@discordjs/ws**", "**discord.js 14**",
                     "**Eris**", "**Oceanic.js**", "**@discordeno/gateway**" })
        {
            Assert.True(section.Contains(needle, StringComparison.Ordinal), $"\"Connecting your bot\" does not mention {needle}");
        }
    }

    [Fact]
    public void Links_into_docs_name_headings_that_exist()
    {
        int checkedLinks = 0;
        var files = new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)));
        foreach (string file in files)
        {
            string text = File.ReadAllText(Path.Combine(Root, file));
            foreach (Match link in DocsLink().Matches(text))
            {
                string target = Path.Combine(Root, "docs", link.Groups["file"].Value);
                Assert.True(File.Exists(target), $"{file} links to missing {target}");
                var anchors = Heading().Matches(File.ReadAllText(target)).Select(h => Slug(h.Groups["title"].Value)).ToHashSet(StringComparer.Ordinal);
                Assert.True(anchors.Contains(link.Groups["anchor"].Value), $"{file} links to #{link.Groups["anchor"].Value} in {link.Groups["file"].Value}, which has no such heading");
                checkedLinks++;
            }
        }

        Assert.True(checkedLinks >= 4, $"only {checkedLinks} links into docs/ were found");
    }

    /// <summary>GitHub's heading anchor: lower case, spaces to hyphens, punctuation other than '-' and '_' dropped.</summary>
    private static string Slug(string title) =>
        string.Concat(title.Trim().ToLowerInvariant().Select(c => c == ' ' ? "-" : char.IsLetterOrDigit(c) || c is '-' or '_' ? c.ToString() : ""));

    [GeneratedRegex(@"\((?:docs/)?(?<file>[a-z-]+\.md)#(?<anchor>[a-z0-9_-]+)\)")]
    private static partial Regex DocsLink();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
