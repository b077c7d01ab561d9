<#--
  Feishu's built-in message, plain text for both message types: the first line is the title
  every part repeats (a post's title, a text message's first line); in a post each other line is
  a paragraph of plain text, which Feishu never reads as markup.
-->
<#import "/nm.ftl" as nm>
<#macro alert a>
${a.firing?then("●", "○")} ${a.name}<#if a.summary?has_content>: ${a.summary}</#if>
<#list a.labels as l>
    ${l.name}: ${l.value}
</#list>
<#list a.annotations as n>
    ${n.name}: ${n.value}
</#list>
<#if a.startsAt?has_content>
    ${words.startsAt}: ${a.startsAt}<#if a.endsAt?has_content> · ${words.endsAt}: ${a.endsAt}</#if>
</#if>
<#if a.generatorURL?has_content>
    ${words.source}: ${a.generatorURL}
</#if>
<#if a.runbookURL?has_content>
    ${words.runbook}: ${a.runbookURL}
</#if>
</#macro>
${nm.title()}
<#list firing>
${words.firing} (${firing?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#list resolved>
${words.resolved} (${resolved?size})
<#items as a>
<@alert a/>
</#items>
</#list>
<#if truncatedNote?has_content>
${truncatedNote}
</#if>
